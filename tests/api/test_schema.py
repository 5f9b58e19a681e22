import yaml
from django.core.management import call_command


def test_schema_generates_and_validates_without_warnings(db, tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns any drf-spectacular warning or error into a CommandError.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    assert sorted(schema["paths"]) == [
        "/api/v1/activities/",
        "/api/v1/activities/{activity_id}/media/",
        "/api/v1/activities/{id}/",
        "/api/v1/activities/{id}/changes/",
        "/api/v1/activities/{id}/changes/{change_id}/decision/",
        "/api/v1/activities/{id}/history/",
        "/api/v1/activities/{id}/sessions/",
        "/api/v1/activities/{id}/sessions/{session_id}/",
        "/api/v1/activities/{id}/transitions/",
        "/api/v1/auth/token/",
        "/api/v1/ceremonies/",
        "/api/v1/ceremonies/{id}/",
        "/api/v1/ceremonies/{id}/board/",
        "/api/v1/ceremonies/{id}/decisions/",
        "/api/v1/ceremonies/{id}/guests/",
        "/api/v1/ceremonies/{id}/jury-results/",
        "/api/v1/ceremonies/{id}/jury-scores/",
        "/api/v1/ceremonies/{id}/jury/",
        "/api/v1/ceremonies/{id}/jury/assign-automatically/",
        "/api/v1/ceremonies/{id}/quotas/",
        "/api/v1/editions/",
        "/api/v1/editions/{id}/",
        "/api/v1/editions/{id}/copy/",
        "/api/v1/editions/{id}/transitions/",
        "/api/v1/exhibits/",
        "/api/v1/exhibits/{id}/",
        "/api/v1/exhibits/{id}/media/",
        "/api/v1/exhibits/{id}/media/{key}/",
        "/api/v1/exhibits/{id}/transitions/",
        "/api/v1/jury-assignments/",
        "/api/v1/jury-assignments/{id}/",
        "/api/v1/jury-assignments/{id}/scores/",
        "/api/v1/media/{key}/",
        "/api/v1/media/{key}/feature/",
        "/api/v1/media/{key}/hide/",
        "/api/v1/media/{key}/unhide/",
        "/api/v1/notices/",
        "/api/v1/notices/{id}/",
        "/api/v1/notices/{id}/acknowledge/",
        "/api/v1/notices/{id}/acknowledgements/",
        "/api/v1/notices/{id}/attachments/",
        "/api/v1/notices/{id}/attachments/{attachment_id}/",
        "/api/v1/notices/{id}/publish/",
        "/api/v1/notices/{id}/remind/",
        "/api/v1/organizations/",
        "/api/v1/organizations/{id}/",
        "/api/v1/organizations/{id}/contacts/",
        "/api/v1/organizations/{id}/contacts/{contact_id}/",
        "/api/v1/reports/",
        "/api/v1/reports/{id}/",
        "/api/v1/reports/{id}/files/",
        "/api/v1/reports/{id}/transitions/",
        "/api/v1/rsvp/{token}/",
        "/api/v1/sessions/{session_id}/bookings/",
        "/api/v1/sessions/{session_id}/bookings/export/",
        "/api/v1/sessions/{session_id}/bookings/{booking_id}/cancel/",
        "/api/v1/sessions/{session_id}/checkin-manifest/",
        "/api/v1/sessions/{session_id}/checkins/",
        "/api/v1/sessions/{session_id}/checkins/batch/",
        "/api/v1/sessions/{session_id}/walk-ins/",
        "/api/v1/statistics/",
    ]
    assert schema["components"]["securitySchemes"]["tokenAuth"]["type"] == "apiKey"
    org_params = {p["name"] for p in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]}
    assert org_params == {"page", "page_size", "kind", "area", "parent", "q"}
    activity_params = {
        p["name"] for p in schema["paths"]["/api/v1/activities/"]["get"]["parameters"]
    }
    assert activity_params == {
        *("page", "page_size", "state", "edition", "year", "area", "category", "date_from"),
        *("date_to", "audience", "mode", "q", "bookable", "is_key"),
        # Issue 11: the back office's list through the API.
        *("host", "large", "has_media", "scope", "ordering"),
    }


def test_schema_endpoint_serves_openapi(db, api):
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "SciWeek API"


def test_docs_page_loads_local_assets_and_no_inline_code(db, api):
    response = api.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/api/v1/docs/?script=" in html
    assert "<style" not in html
    assert "<script>" not in html
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


def test_docs_init_script_is_javascript(db, api):
    response = api.get("/api/v1/docs/", {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b'url: "/api/v1/schema/"' in response.content


def test_api_root_lists_the_collections(db, api):
    response = api.get("/api/v1/")
    assert response.status_code == 200
    assert set(response.json()) == {
        "editions",
        "organizations",
        "notices",
        "activities",
        "reports",
        "ceremonies",
        "exhibits",
        "jury-assignments",
    }


def test_browsable_api_renders_for_browsers(db, api):
    response = api.get("/api/v1/editions/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_every_operation_declares_the_errors_it_can_answer(db, api):
    """401 anywhere (a bad or expired token is refused on every operation), 406 anywhere, 403
    on unsafe methods, 404 with a path id or a page, 400/413/415 with a body; all in the one
    error shape."""
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {
        "code",
        "detail",
        "errors",
    }
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            expected = {"401", "406"}
            if method in {"post", "put", "patch", "delete"}:
                expected.add("403")
            if "{" in path:
                expected.add("404")
            if "requestBody" in operation:
                expected |= {"400", "413", "415"}
            missing += [(method, path, code) for code in sorted(expected - set(responses))]
            for code, response in responses.items():
                if code.startswith("4"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/Error", (method, path, code)
    assert missing == []
    listing = schema["paths"]["/api/v1/editions/"]["get"]["responses"]
    assert "a page past the last" in listing["404"]["description"]
