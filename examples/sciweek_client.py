"""A small client of the SciWeek API, with the standard library only, and a walk through the
week as another system would run it: the organiser creates and publishes an edition and its
notice, a host unit files an activity and uploads a photo, the organiser reads the statistics
and a session's bookings.

    python examples/sciweek_client.py http://127.0.0.1:8000 organizer sciweek-demo \
        unit-zhangdian sciweek-demo photo.jpg 2031

Every error answers ``{"code", "detail"}``; ``ApiError`` carries both. See docs/api.md.
"""

from __future__ import annotations

import json
import sys
import uuid
from urllib.error import HTTPError
from urllib.request import Request, urlopen


class ApiError(Exception):
    def __init__(self, status: int, body: dict):
        self.status, self.code = status, body.get("code", "")
        super().__init__(f"{status} {self.code}: {body.get('detail', '')}")


class SciWeekClient:
    def __init__(self, base_url: str, *, language: str = "zh-hans"):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("The base URL must be http:// or https://.")
        self.base = base_url.rstrip("/") + "/api/v1/"
        self.language = language
        self.token = ""

    def sign_in(self, username: str, password: str) -> None:
        self.token = self.post("auth/token/", {"username": username, "password": password})["token"]

    def request(self, method: str, path: str, *, data: bytes | None = None, headers=None):
        headers = {
            "Accept": "application/json",
            "Accept-Language": self.language,
            **(headers or {}),
        }
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        try:
            # The scheme was checked in __init__: only http(s) is ever opened.
            request = Request(self.base + path, data=data, headers=headers, method=method)  # noqa: S310
            with urlopen(request) as answer:  # noqa: S310
                body = answer.read()
                return json.loads(body) if body else None
        except HTTPError as error:
            raise ApiError(error.code, json.loads(error.read() or b"{}")) from None

    def get(self, path: str, **params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return self.request("GET", f"{path}?{query}" if query else path)

    def post(self, path: str, payload: dict | None = None):
        body = json.dumps(payload or {}).encode()
        return self.request("POST", path, data=body, headers={"Content-Type": "application/json"})

    def upload(self, path: str, fields: dict[str, str], *, name: str, content: bytes, mime: str):
        """``multipart/form-data`` with one file, as the upload endpoints take it."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: {mime}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        content_type = f"multipart/form-data; boundary={boundary}"
        return self.request("POST", path, data=body, headers={"Content-Type": content_type})


def run_the_week(base_url: str, organiser: tuple[str, str], unit: tuple[str, str], *,
                 year: int, recipient: int, host: int, photo: bytes) -> dict:  # fmt: skip
    """The walk through; returns what it made, by name."""
    city = SciWeekClient(base_url)
    city.sign_in(*organiser)
    edition = city.post("editions/", {
        "year": year, "title": f"{year}年科技活动周", "theme": "热爱科学 崇尚科学",
        "start_date": f"{year}-05-20", "end_date": f"{year}-05-27",
        "summary_deadline": f"{year}-06-10", "receiving_section": "市科技局人才与成果科",
        "receiving_email": "kjz@example.test",
    })  # fmt: skip
    edition = city.post(f"editions/{edition['id']}/transitions/", {"to": "published"})
    notice = city.post("notices/", {
        "edition": edition["id"], "title": f"关于举办{year}年科技活动周的通知",
        "body": "各区县科技局：请组织报送活动。", "recipients": [recipient],
    })  # fmt: skip
    notice = city.post(f"notices/{notice['id']}/publish/")

    host_unit = SciWeekClient(base_url)
    host_unit.sign_in(*unit)
    activity = host_unit.post("activities/", {
        "edition": edition["id"], "host": host, "title": "走进科技馆", "summary": "开放日",
        "description": "馆内展厅免费开放。", "category": edition["categories"][0]["id"],
        "audiences": ["public"], "mode": "offline", "venue_name": "淄博市科技馆",
        "address": "张店区华光路1号", "contact_name": "王老师", "contact_phone": "0533-2186000",
        "booking_required": True, "confidentiality_checked": True,
        "sessions": [{"starts_at": f"{year}-05-21T09:00:00+08:00",
                      "ends_at": f"{year}-05-21T11:00:00+08:00", "capacity": 40}],
    })  # fmt: skip
    media = host_unit.upload(
        f"activities/{activity['id']}/media/",
        {"kind": "photo", "alt_text": "科技馆展厅", "title": "展厅"},
        name="hall.jpg",
        content=photo,
        mime="image/jpeg",
    )
    statistics = city.get("statistics/", edition=edition["id"])
    # A draft is its host's until submitted: the host unit sees its session's bookings.
    bookings = host_unit.get(f"sessions/{activity['sessions'][0]['id']}/bookings/")
    return {"edition": edition, "notice": notice, "activity": activity, "media": media,
            "statistics": statistics, "bookings": bookings}  # fmt: skip


def first_of_kind(client: SciWeekClient, kind: str) -> int:
    """The id of the first organisation of ``kind`` the client's user sees."""
    return next(o["id"] for o in client.get("organizations/", kind=kind)["results"])


def main(argv: list[str]) -> None:
    base, city_user, city_password, unit_user, unit_password, photo_path, year = argv
    city, unit = SciWeekClient(base), SciWeekClient(base)
    city.sign_in(city_user, city_password)
    unit.sign_in(unit_user, unit_password)
    with open(photo_path, "rb") as photo:
        made = run_the_week(
            base, (city_user, city_password), (unit_user, unit_password), year=int(year),
            recipient=first_of_kind(city, "area"), host=first_of_kind(unit, "host_unit"),
            photo=photo.read(),
        )  # fmt: skip
    for name, value in made.items():
        print(name, json.dumps(value, ensure_ascii=False)[:200])


if __name__ == "__main__":
    main(sys.argv[1:])
