"""Files for the media tests, generated in the test run (no binaries in the repository)."""

from __future__ import annotations

import io
import struct
import zlib
from fractions import Fraction

import av
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import ExifTags, Image


def jpeg(size=(640, 480), color=(30, 120, 200), *, exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    image.save(out, "JPEG", quality=90, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def png(size=(300, 200), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def gps_exif(orientation: int | None = None) -> Image.Exif:
    """EXIF with a camera serial number and GPS position (淄博), optionally an orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.BodySerialNumber] = "SERIAL-12345"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (36.0, 48.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (118.0, 3.0, 0.0)
    return exif


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny, well-formed PNG header declaring ``width`` × ``height`` RGB pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # Only the first row's worth of data; a decoder would still allocate the whole canvas.
    idat = zlib.compress(b"\x00" * (1 + 3 * min(width, 1000)), 9)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def video(
    seconds: float = 3.0,
    *,
    fps: int = 25,
    size=(160, 90),
    codec: str = "libx264",
    container_format: str = "mp4",
) -> bytes:
    out = io.BytesIO()
    frames = round(seconds * fps)
    with av.open(out, mode="w", format=container_format) as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        if codec == "libx264":
            stream.options = {"preset": "ultrafast"}
        for n in range(frames):
            image = Image.new("RGB", size, (n * 9 % 255, 80, 160))
            frame = av.VideoFrame.from_image(image)
            frame.pts = n
            frame.time_base = Fraction(1, fps)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


def disk_upload(name: str, content: bytes, content_type: str = "video/mp4"):
    """As Django hands over a large upload: spooled to a temporary file on disk."""
    handle = TemporaryUploadedFile(name, content_type, len(content), None)
    handle.write(content)
    handle.seek(0)
    return handle
