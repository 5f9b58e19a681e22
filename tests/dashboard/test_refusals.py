"""RefusalMixin: the one way a back-office page turns a service's refusal into what it shows,
as api/errors.py does for the API."""

import json

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from sciweek.common.errors import Conflict, PermissionRefused, ServiceError
from sciweek.dashboard.mixins import RefusalMixin


class NameForm(forms.Form):
    name = forms.CharField()
    year = forms.IntegerField(required=False)


class FormPage(RefusalMixin, View):
    """Draws its form as JSON so the test reads what the page would show."""

    error = None

    def get_context_data(self, **kwargs):
        return kwargs

    def render_to_response(self, context, status=200):
        form = context["form"]
        body = {"errors": form.errors.get_json_data(), "typed": form.data.get("name"), **{
            k: v for k, v in context.items() if k != "form"
        }}  # fmt: skip
        return HttpResponse(json.dumps(body), status=status)

    def get(self, request):
        raise self.error

    def post(self, request):
        form = NameForm(request.POST)
        self.refusing(form, extra="kept")
        assert form.is_valid()
        raise self.error


class ActionPage(RefusalMixin, View):
    error = None

    def post(self, request):
        raise self.error

    def get_refusal_url(self):
        return "/back/"


def _post(view, error, **initkwargs):
    request = RequestFactory().post("/page/", {"name": "李雷", "year": "2031"})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request, view.as_view(error=error, **initkwargs)(request)


def _page(response):
    return json.loads(response.content)


def test_field_errors_go_beside_their_fields_and_the_typed_value_stays():
    error = ServiceError({"name": ["That name is taken."], "elsewhere": ["Not a field here."]})
    _request, response = _post(FormPage, error)
    assert response.status_code == 400
    page = _page(response)
    assert page["typed"] == "李雷"
    assert page["extra"] == "kept"
    assert {k: [e["message"] for e in v] for k, v in page["errors"].items()} == {
        "name": ["That name is taken."],
        "__all__": ["Not a field here."],
    }


def test_an_error_without_fields_goes_above_the_form_or_beside_refusal_field():
    _request, response = _post(FormPage, ServiceError("No.", code="no"))
    assert _page(response)["errors"] == {"__all__": [{"message": "No.", "code": "no"}]}
    _request, response = _post(FormPage, ServiceError("No.", code="no"), refusal_field="year")
    assert _page(response)["errors"] == {"year": [{"message": "No.", "code": "no"}]}


@pytest.mark.parametrize(
    ("error", "status"),
    [(ServiceError("x"), 400), (PermissionRefused("x"), 403), (Conflict("x"), 409)],
)
def test_the_status_is_the_errors_as_in_the_api(error, status):
    _request, response = _post(FormPage, error)
    assert response.status_code == status


def test_without_a_form_the_messages_are_shown_on_the_page_gone_back_to():
    request, response = _post(ActionPage, ServiceError("Not now.", code="later"))
    assert (response.status_code, response["Location"]) == (302, "/back/")
    assert [str(m) for m in get_messages(request)] == ["Not now."]


def test_a_get_is_not_caught():
    request = RequestFactory().get("/page/")
    with pytest.raises(ServiceError):
        FormPage.as_view(error=ServiceError("x"))(request)
