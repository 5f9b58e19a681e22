"""Photos: proved by content, verified by Pillow, re-encoded without EXIF or location.

Re-encoding is the point: whatever a hostile or careless file carried (GPS coordinates, camera
serial numbers, trailing payloads, polyglot tricks) does not survive into the stored copy; only
the pixels do.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from sciweek.common.errors import ServiceError
from sciweek.common.uploads import sniff

PHOTO_TYPES = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
# The stored picture is capped: a phone gallery never needs more, and it keeps pages light.
MAX_SIDE = 3840
THUMBNAIL_SIDE = 480


@dataclass(frozen=True)
class ProcessedImage:
    content: bytes
    extension: str
    mime: str
    width: int
    height: int
    thumbnail: bytes  # JPEG


def check_size(upload: UploadedFile, limit: int) -> None:
    if upload.size > limit:
        raise ServiceError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="file_too_large",
        )


def _refuse_bomb(name: str, width: int, height: int, limit: int):
    return ServiceError(
        _(
            "%(name)s declares %(width)s × %(height)s pixels (%(mp)s megapixels); the limit is "
            "%(limit)s megapixels. Resize the picture and upload it again."
        )
        % {
            "name": name,
            "width": width,
            "height": height,
            "mp": round(width * height / 1_000_000, 1),
            "limit": round(limit / 1_000_000, 1),
        },
        code="image_too_many_pixels",
    )


def _damaged(name: str) -> ServiceError:
    return ServiceError(
        _("%(name)s could not be read as a picture: the file is damaged or not a real image.")
        % {"name": name},
        code="image_damaged",
    )


def flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG; transparency goes onto white, as it would on the page."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def make_thumbnail(image: Image.Image) -> bytes:
    thumb = flatten(image)
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=80, optimize=True, progressive=True)
    return out.getvalue()


def process_photo(upload: UploadedFile, *, max_bytes: int | None = None) -> ProcessedImage:
    """Check a photo and return a clean re-encoded copy and its thumbnail.

    Refuses: over ``max_bytes`` (default MEDIA_PHOTO_MAX_BYTES); not jpg/png/webp by content; more pixels than
    MEDIA_PHOTO_MAX_PIXELS (decompression bombs, checked from the header before decoding);
    anything Pillow cannot verify and decode.
    """
    check_size(upload, max_bytes or settings.MEDIA_PHOTO_MAX_BYTES)
    extension = sniff(upload)
    if extension not in PHOTO_TYPES:
        raise ServiceError(
            _("%(name)s is not a JPEG, PNG or WebP picture (its content says: %(found)s).")
            % {"name": upload.name, "found": extension or _("unknown")},
            code="file_type_refused",
        )
    max_pixels = settings.MEDIA_PHOTO_MAX_PIXELS
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice it; a warning is a refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            upload.seek(0)
            with Image.open(upload, formats=[PHOTO_TYPES[extension]]) as probe:
                width, height = probe.size
                if width * height > max_pixels:
                    raise _refuse_bomb(upload.name, width, height, max_pixels)
                probe.verify()
            # verify() leaves the image unusable; decoding needs a fresh open.
            upload.seek(0)
            with Image.open(upload, formats=[PHOTO_TYPES[extension]]) as source:
                # JPEG can decode at 1/2, 1/4 or 1/8 scale: large photos never sit whole in memory.
                source.draft("RGB", (MAX_SIDE, MAX_SIDE))
                image = ImageOps.exif_transpose(source)
                image.load()
                icc_profile = source.info.get("icc_profile")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            # Pillow refused before the size could be read; its own (English) words stay out.
            raise ServiceError(
                _(
                    "%(name)s declares far more pixels than any photo needs; the limit is "
                    "%(limit)s megapixels. Resize the picture and upload it again."
                )
                % {"name": upload.name, "limit": round(max_pixels / 1_000_000, 1)},
                code="image_too_many_pixels",
            ) from exc
        except ServiceError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise _damaged(upload.name) from exc
        finally:
            upload.seek(0)

    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA") if has_alpha else image.convert("RGB")
    # Nothing of the original's metadata is carried over (no EXIF, no XMP, no text chunks);
    # only the colour profile, which holds no personal data and keeps colours right.
    image.info = {}
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if has_alpha:
        image.save(out, "WEBP", quality=88, method=4, **options)
        extension, mime = "webp", "image/webp"
    else:
        image.save(out, "JPEG", quality=86, optimize=True, progressive=True, **options)
        extension, mime = "jpg", "image/jpeg"
    return ProcessedImage(
        content=out.getvalue(),
        extension=extension,
        mime=mime,
        width=image.width,
        height=image.height,
        thumbnail=make_thumbnail(image),
    )
