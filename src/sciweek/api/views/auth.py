from django.contrib.auth import authenticate, get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sciweek.accounts import throttle, tokens, two_factor
from sciweek.common.errors import ServiceError
from sciweek.common.requestlocal import client_ip

from ..serializers.auth import TokenRequestSerializer, TokenSerializer
from ..serializers.common import ErrorSerializer
from ..throttling import ClientScopedRateThrottle


class LoginLocked(ServiceError):
    status = 429

    def __init__(self, message, code: str = "locked", params=None):
        super().__init__(message, code=code, params=params)


class TokenObtainView(APIView):
    """Exchange a user name and password for an API token.

    The same defences as the sign-in page: failures count towards the per-account and per-address
    lock-out (``sciweek.accounts.throttle``) and are audited through ``user_login_failed``; on top
    of that the endpoint has its own request rate (scope ``token``).
    """

    # No authentication: a stale token or a session cookie must not get in the way of signing in
    # (and session authentication would demand a CSRF token).
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (ClientScopedRateThrottle,)
    throttle_scope = "token"

    @extend_schema(
        operation_id="auth_token_obtain",
        tags=["auth"],
        auth=[],
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "Wrong user name or password (code `invalid_credentials`), or a missing or"
                    " wrong two-factor code (code `otp_invalid`)."
                ),
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "Locked after too many failures for this account or address (code `locked`),"
                    " or too many requests (code `throttled`, with Retry-After)."
                ),
            ),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        password = serializer.validated_data["password"]
        ip = client_ip(request)
        until = throttle.locked_until(username, ip)
        if until is not None:
            # The same words as the sign-in pages.
            raise LoginLocked(throttle.locked_message(until))
        # authenticate() fires user_login_failed, which writes the audit entry.
        user = authenticate(request._request, username=username, password=password)
        if user is not None and two_factor.confirmed_device(user) is not None:
            code = serializer.validated_data.get("otp_token", "")
            if two_factor.verified_device(user, code) is None:
                throttle.note_failure(username, ip)
                raise ServiceError(
                    _("Enter the current code from your authenticator app."), code="otp_invalid"
                )
        if user is None:
            throttle.note_failure(username, ip)
            # Django's own msgid: translated by Django's catalogue in every language it ships.
            raise ServiceError(
                _(
                    "Please enter a correct %(username)s and password. Note that both "
                    "fields may be case-sensitive."
                )
                % {"username": get_user_model()._meta.get_field("username").verbose_name},
                code="invalid_credentials",
            )
        throttle.clear(username, ip)
        token = tokens.token_for(user)
        return Response(TokenSerializer({"token": token.key}).data)
