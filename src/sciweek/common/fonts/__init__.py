"""The CJK fonts shipped with SciWeek, for images generated on the server."""

from functools import cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parent
REGULAR = FONT_DIR / "NotoSansSC-Regular-GB2312.otf"
BOLD = FONT_DIR / "NotoSansSC-Bold-GB2312.otf"


@cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)
