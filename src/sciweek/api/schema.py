"""The schema declares every status an operation can answer (issue 10): a drf-spectacular
post-processing hook adds the errors every operation of a kind can answer, in the one error
shape (``Error``: ``{"code", "detail"}``, see ``api/errors.py``), where a view did not declare
them with its own description."""

from __future__ import annotations

ERROR = {"$ref": "#/components/schemas/Error"}
PAGE_PARAMETERS = {"page", "page_size"}
UNSAFE = {"post", "put", "patch", "delete"}


def _response(description: str) -> dict:
    return {"content": {"application/json": {"schema": ERROR}}, "description": description}


def _common_errors(method: str, operation: dict) -> dict[str, str]:
    query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    has_path = any(p["in"] == "path" for p in operation.get("parameters", []))
    has_body = "requestBody" in operation
    errors = {}
    if has_body or query - PAGE_PARAMETERS:
        errors["400"] = (
            "`parse_error` (a body that is not JSON), `too_deep` (nested too deeply), or field "
            "errors (`invalid`, with `errors`)."
        )
    errors["401"] = (
        "`not_authenticated`, `authentication_failed` (unknown token) or `token_expired`."
    )
    if method in UNSAFE:
        errors["403"] = "`permission_denied` (also a signed-in browser session without CSRF)."
    if has_path or "page" in query:
        errors["404"] = "`not_found`: unknown or not visible, or a page past the last."
    errors["406"] = "`not_acceptable`: the Accept header asks for something other than JSON."
    if has_body:
        errors["413"] = "`too_large`: a body over `DATA_UPLOAD_MAX_MEMORY_SIZE`."
        errors["415"] = "`unsupported_media_type`."
    return errors


def add_common_errors(result, generator, request, public):
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for status, description in _common_errors(method, operation).items():
                responses.setdefault(status, _response(description))
    return result
