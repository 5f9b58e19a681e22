import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    # Messages are compared exactly; their msgids are English.
    with translation.override("en"):
        yield
