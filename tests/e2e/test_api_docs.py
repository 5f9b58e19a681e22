"""The API docs page renders Swagger UI under the strict CSP, from local assets only."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def operations(schema: dict) -> int:
    """Every documented method of every API path: Swagger UI draws a block for each."""
    return sum(len(HTTP_METHODS & set(item)) for item in schema["paths"].values())


def test_docs_page_renders_under_the_csp_in_chromium(live_server, new_page):
    page = new_page(1366, 900, locale="en-US")
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type in {"error", "warning"} else None,
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    schema = page.request.get(f"{live_server.url}/api/v1/schema/?format=json").json()
    assert operations(schema) > 1
    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI fetched the schema and drew an operation block per endpoint.
    expect(page.locator(".opblock")).to_have_count(operations(schema), timeout=15000)
    assert "SciWeek API" in page.locator(".info .title").inner_text()
    assert problems == []
