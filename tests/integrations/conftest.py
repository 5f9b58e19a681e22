import pytest


@pytest.fixture(autouse=True)
def _receivers_on_loopback(settings):
    """The test receivers listen on 127.0.0.1, which production refuses
    (tests/integrations/test_webhook_addresses.py checks that)."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
