"""API clients for tests: each sends its user's token, as real clients do."""

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def token_client(world, role) -> APIClient:
    """A client for ``world.users[role]``; without credentials for the anonymous visitor."""
    client = APIClient()
    user = None if role is None else world.users[role]
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
