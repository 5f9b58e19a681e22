"""Files for the reporting tests, generated in the run (no binaries in the repository)."""

from __future__ import annotations

import io

import av
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image

from tests.media.files import bomb_png, jpeg  # noqa: F401 - re-exported


def tiny_video(seconds: int, *, fmt: str = "mp4") -> bytes:
    """``seconds`` long at 1 fps and 16×16: 181 s is a few KB and encodes in milliseconds."""
    out = io.BytesIO()
    with av.open(out, mode="w", format=fmt) as container:
        stream = container.add_stream("libx264", rate=1)
        stream.width = stream.height = 16
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "ultrafast"}
        image = Image.new("RGB", (16, 16), (20, 90, 160))
        for n in range(seconds):
            frame = av.VideoFrame.from_image(image)
            frame.pts = n
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def docx(text: str = "总结报告") -> bytes:
    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def up(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)
