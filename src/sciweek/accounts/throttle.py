"""Login throttling: too many failures for one user name, or from one address, lock further
attempts for a while. Counts live in the cache (Redis when scaled out) so every process agrees."""

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, ip: str | None) -> list[str]:
    keys = [f"login-fail:user:{username.strip().lower()}"]
    if ip:
        keys.append(f"login-fail:ip:{ip}")
    return keys


def is_locked(username: str, ip: str | None) -> bool:
    counts = cache.get_many(_keys(username, ip))
    # An address gets more room than an account, so one office behind a NAT is not locked out.
    user_limit = settings.LOGIN_FAILURE_LIMIT
    ip_limit = settings.LOGIN_FAILURE_LIMIT * 4
    return any(
        count >= (ip_limit if key.startswith("login-fail:ip:") else user_limit)
        for key, count in counts.items()
    )


def note_failure(username: str, ip: str | None) -> None:
    for key in _keys(username, ip):
        if not cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)


def clear(username: str, ip: str | None) -> None:
    cache.delete(_keys(username, ip)[0])
