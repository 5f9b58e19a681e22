"""Micro-videos and micro-animations: mp4 or webm proved by content, opened with PyAV, their
real duration measured from the packets actually in the file, a poster frame extracted.

The client's idea of the duration is never asked for: a container can declare any duration, so
the packets are read through to the end (demuxing only, no decoding — fast and small in memory)
and a file whose packets stop well short of what it declares is refused as truncated.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from fractions import Fraction

import av
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

from sciweek.common.errors import ServiceError
from sciweek.common.uploads import sniff

from .images import THUMBNAIL_SIDE, check_size

VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}
# Codecs that browsers (and WeChat's) play in a <video> element.
PLAYABLE_CODECS = {"h264", "hevc", "vp8", "vp9", "av1"}
# How short of its declared duration a file's packets may stop before it counts as truncated.
TRUNCATION_TOLERANCE_SECONDS = 0.5
POSTER_AT_SECONDS = 1.0
POSTER_MAX_FRAMES = 120


@dataclass(frozen=True)
class ProbedVideo:
    extension: str
    mime: str
    width: int
    height: int
    duration: float
    codec: str
    poster: bytes  # JPEG


def _source(upload: UploadedFile):
    """A path when Django spooled the upload to disk (large files), else the file object."""
    if hasattr(upload, "temporary_file_path"):
        return upload.temporary_file_path()
    upload.seek(0)
    return upload


def _damaged(name: str) -> ServiceError:
    return ServiceError(
        _(
            "%(name)s could not be read as a video: the file is damaged or incomplete "
            "(for example, the upload was cut off). Export it again and upload the whole file."
        )
        % {"name": name},
        code="video_damaged",
    )


def _measure(container, stream) -> float:
    """Seconds from the first packet's start to the last packet's end."""
    first = end = None
    fallback = Fraction(1, 25)
    if stream.average_rate:
        fallback = 1 / Fraction(stream.average_rate)
    for packet in container.demux(stream):
        if packet.pts is None or packet.size == 0:
            continue
        start = packet.pts * packet.time_base
        length = packet.duration * packet.time_base if packet.duration else fallback
        first = start if first is None else min(first, start)
        end = start + length if end is None else max(end, start + length)
    if first is None:
        return 0.0
    return float(end - first)


def _poster(source, duration: float) -> bytes:
    target = min(POSTER_AT_SECONDS, duration / 3)
    chosen = None
    with av.open(source) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for index, frame in enumerate(container.decode(stream)):
            chosen = frame
            if (frame.time or 0) >= target or index >= POSTER_MAX_FRAMES:
                break
        if chosen is None:
            raise ValueError("no frame decoded")
        image = chosen.to_image()
    image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=80, optimize=True, progressive=True)
    return out.getvalue()


def probe_video(
    upload: UploadedFile,
    *,
    max_bytes: int | None = None,
    types: dict[str, str] | None = None,
) -> ProbedVideo:
    """Check a video and measure it. Refuses: over ``max_bytes`` (default
    MEDIA_VIDEO_MAX_BYTES); not one of ``types`` (extension → MIME; default mp4/webm) by
    content; no video stream; a codec browsers cannot play; a damaged or truncated file."""
    check_size(upload, max_bytes or settings.MEDIA_VIDEO_MAX_BYTES)
    extension = sniff(upload)
    accepted = VIDEO_TYPES if types is None else types
    if extension not in accepted:
        if types is None:
            message = _("%(name)s is not an MP4 or WebM video (its content says: %(found)s).")
        else:
            message = _(
                "%(name)s is not an accepted video (%(types)s; its content says: %(found)s)."
            )
        raise ServiceError(
            message
            % {
                "name": upload.name,
                "found": extension or _("unknown"),
                "types": ", ".join(accepted),
            },
            code="file_type_refused",
        )
    try:
        with av.open(_source(upload)) as container:
            if not container.streams.video:
                raise ServiceError(
                    _("%(name)s has no picture track.") % {"name": upload.name},
                    code="video_no_stream",
                )
            stream = container.streams.video[0]
            codec = stream.codec_context.name
            if codec not in PLAYABLE_CODECS:
                raise ServiceError(
                    _(
                        "%(name)s uses the %(codec)s codec, which browsers cannot play. "
                        "Export it as H.264 MP4 or VP9 WebM."
                    )
                    % {"name": upload.name, "codec": codec},
                    code="video_codec_refused",
                )
            width, height = stream.codec_context.width, stream.codec_context.height
            declared = None
            if container.duration:
                declared = container.duration / av.time_base
            elif stream.duration and stream.time_base:
                declared = float(stream.duration * stream.time_base)
            duration = _measure(container, stream)
        if duration <= 0 or not width or not height:
            raise _damaged(upload.name)
        if declared and duration < declared - TRUNCATION_TOLERANCE_SECONDS:
            raise ServiceError(
                _(
                    "%(name)s is incomplete: it declares %(declared)s s but holds only "
                    "%(found)s s of video. Upload the whole file."
                )
                % {
                    "name": upload.name,
                    "declared": round(declared, 1),
                    "found": round(duration, 1),
                },
                code="video_truncated",
            )
        poster = _poster(_source(upload), duration)
    except ServiceError:
        raise
    except (av.error.FFmpegError, OSError, ValueError, IndexError) as exc:
        raise _damaged(upload.name) from exc
    finally:
        upload.seek(0)
    return ProbedVideo(
        extension=extension,
        mime=accepted[extension],
        width=width,
        height=height,
        duration=round(duration, 3),
        codec=codec,
        poster=poster,
    )


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def probe_short_video(
    upload: UploadedFile,
    *,
    max_seconds: int,
    max_bytes: int | None = None,
    types: dict[str, str] | None = None,
) -> ProbedVideo:
    """``probe_video``, then refuse a video running longer than ``max_seconds`` (measured from
    its packets), saying how long it is and what the limit is (an area summary's video, an
    exhibit's ≤ 3-minute video)."""
    probed = probe_video(upload, max_bytes=max_bytes, types=types)
    if probed.duration > max_seconds:
        raise ServiceError(
            _(
                "%(name)s runs %(found)s s (%(found_m)s); the longest video accepted is "
                "%(limit)s s (%(limit_m)s). Shorten it and upload it again."
            )
            % {
                "name": upload.name,
                "found": round(probed.duration, 1),
                "found_m": _minutes(probed.duration),
                "limit": max_seconds,
                "limit_m": _minutes(max_seconds),
            },
            code="video_too_long",
        )
    return probed
