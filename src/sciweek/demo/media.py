"""Demo media: a few Pillow-drawn photos and one short PyAV-encoded video on published and held
activities, featured in the online hall. Everything goes through the real upload service, so
the demo exercises the same checks as a host's upload. Generated, not shipped: no binary files
in the repository, and it takes well under a second."""

from __future__ import annotations

import io
from fractions import Fraction

import av
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from sciweek.accounts.models import User
from sciweek.activities.enums import ActivityState
from sciweek.activities.models import Activity
from sciweek.common.fonts import font
from sciweek.media import services
from sciweek.media.enums import MediaKind
from sciweek.media.models import MediaItem

PALETTES = [
    ((14, 76, 146), (88, 166, 255)),
    ((20, 110, 80), (120, 210, 150)),
    ((150, 60, 20), (250, 170, 80)),
    ((90, 40, 130), (190, 140, 240)),
    ((10, 90, 110), (90, 200, 210)),
]


def demo_photo(title: str, caption: str, palette: int, size=(1200, 900)) -> bytes:
    """A gradient 'photo' with the activity's title in Chinese."""
    top, bottom = PALETTES[palette % len(PALETTES)]
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    for i in range(6):
        r = 60 + 25 * i
        cx, cy = width * (0.15 + 0.14 * i), height * (0.3 + 0.08 * (i % 3))
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(255, 255, 255), width=4)
    # Fit the title inside the middle of the picture: thumbnails crop to 4:3 around the centre.
    margin = width // 8
    size_px = 64
    while size_px > 28 and font(size_px, bold=True).getlength(title) > width - 2 * margin:
        size_px -= 4
    draw.text((margin, height - 260), title, font=font(size_px, bold=True), fill="white")
    draw.text((margin, height - 170), caption, font=font(40), fill=(235, 240, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def demo_video(seconds: int = 2, size=(320, 180), fps: int = 15) -> bytes:
    """A short H.264 MP4: a bar sweeping across a gradient, with a caption."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "veryfast", "crf": "28"}
        caption = font(22, bold=True)
        for n in range(seconds * fps):
            image = Image.new("RGB", size, (14, 76, 146))
            draw = ImageDraw.Draw(image)
            x = int(size[0] * n / (seconds * fps))
            draw.rectangle([x, 0, x + 24, size[1]], fill=(250, 170, 80))
            draw.text((16, size[1] - 44), "科技活动周 · 微视频", font=caption, fill="white")
            frame = av.VideoFrame.from_image(image)
            frame.pts = n
            frame.time_base = Fraction(1, fps)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def _uploader(activity: Activity) -> User | None:
    return (
        User.objects.filter(memberships__organization=activity.host).order_by("id").first()
        or User.objects.filter(username="organizer").first()
    )


def load_media(loader) -> None:
    """Attach demo media to the first published and held activities, once."""
    if MediaItem.objects.exists():
        return
    curator = User.objects.filter(username="organizer").first()
    published = list(
        Activity.objects.filter(state=ActivityState.PUBLISHED)
        .select_related("area", "host")
        .order_by("-edition__year", "area_id", "id")
    )
    held = list(
        Activity.objects.filter(state=ActivityState.HELD).select_related("area").order_by("id")
    )
    # One activity per area for the current edition, so the hall's area filter has something.
    chosen, seen = [], set()
    for activity in published:
        if activity.area_id not in seen:
            chosen.append(activity)
            seen.add(activity.area_id)
        if len(chosen) == 4:
            break
    chosen += held[:1]
    video = demo_video()
    for index, activity in enumerate(chosen):
        by = _uploader(activity)
        area = activity.area.name if activity.area else ""
        items = [
            services.media_upload(
                activity=activity,
                kind=MediaKind.PHOTO,
                upload=SimpleUploadedFile(
                    f"现场{index + 1}.jpg",
                    demo_photo(activity.title, f"{area} · 活动现场", index),
                    "image/jpeg",
                ),
                title="活动现场",
                alt_text=f"{activity.title}活动现场：观众围在展台前",
                by=by,
            )
        ]
        if index == 0:
            items.append(
                services.media_upload(
                    activity=activity,
                    kind=MediaKind.VIDEO,
                    upload=SimpleUploadedFile("微视频.mp4", video, "video/mp4"),
                    title="两秒看懂科技活动周",
                    alt_text="蓝色背景上一道橙色光条从左向右扫过",
                    by=by,
                )
            )
            items.append(
                services.media_upload(
                    activity=activity,
                    kind=MediaKind.PHOTO,
                    upload=SimpleUploadedFile(
                        "互动体验.jpg",
                        demo_photo("互动体验区", "小朋友动手做实验", index + 2),
                        "image/jpeg",
                    ),
                    title="互动体验区",
                    alt_text="互动体验区里，小朋友在老师指导下动手做实验",
                    by=by,
                )
            )
        for item in items:
            services.media_feature(item=item, featured=True, by=curator)
