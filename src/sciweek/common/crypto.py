"""Protection of personal data at rest: AES-GCM encryption and a keyed hash for look-ups.

One master key (``SCIWEEK_DATA_KEY``, 32 random bytes in base64) is stretched with HKDF into
an encryption key and a hashing key, so the hash of an ID number reveals nothing even to someone
who can read the database. In development the key lives in ``$SCIWEEK_DATA_DIR/data.key``,
created on first use; production must set the variable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
VERSION = b"v1"


def _master_key() -> bytes:
    value = os.environ.get("SCIWEEK_DATA_KEY", "")
    if not value:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("SCIWEEK_DATA_KEY must be set in production.")
        path = settings.DATA_DIR / "data.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # O_EXCL: two processes starting together do not write two different keys.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as handle:
                    handle.write(base64.b64encode(secrets.token_bytes(32)).decode())
        value = path.read_text().strip()
    key = base64.b64decode(value)
    if len(key) != 32:
        raise ImproperlyConfigured("SCIWEEK_DATA_KEY must be 32 bytes, base64-encoded.")
    return key


@cache
def _keys() -> tuple[bytes, bytes]:
    material = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=None, info=b"sciweek personal data"
    ).derive(_master_key())
    return material[:32], material[32:]


def encrypt(text: str) -> str:
    """AES-GCM with a random nonce; the result is ASCII, safe for a text column."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(_keys()[0]).encrypt(nonce, text.encode(), VERSION)
    return VERSION.decode() + ":" + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    version, _, payload = token.partition(":")
    if version.encode() != VERSION:
        raise ValueError("unknown ciphertext version")
    raw = base64.urlsafe_b64decode(payload)
    return AESGCM(_keys()[0]).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], VERSION).decode()


def keyed_hash(text: str) -> str:
    """HMAC-SHA256 under the hashing key: equal inputs give equal hashes, nothing else leaks."""
    return hmac.new(_keys()[1], text.encode(), hashlib.sha256).hexdigest()
