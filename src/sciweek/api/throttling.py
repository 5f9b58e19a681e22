from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from sciweek.common.requestlocal import client_ip


class ClientScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle with two changes.

    The client is identified like everywhere else in SciWeek (``client_ip``): DRF's default trusts
    any X-Forwarded-For header when NUM_PROXIES is unset, which would let a client pick a fresh
    identity per request and walk past the limit.

    The rate is read at request time: DRF binds ``THROTTLE_RATES`` when the module is imported, so
    a rate changed later (tests, a reloaded setting) would otherwise be ignored.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request) or "unknown"
