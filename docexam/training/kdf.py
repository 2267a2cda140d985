"""Slow, salted hashes for PINs and the trainer passphrase.

A trainee's PIN is short (4 to 12 digits), so a fast hash would be reversed
by anyone holding a copy of the database file. scrypt makes each guess cost
tens of milliseconds and megabytes of memory. The parameters travel with the
hash, so they can be raised later without breaking stored hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

#: scrypt cost parameters for new hashes (about 50 ms and 16 MiB per hash)
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_DKLEN = 32
_MAXMEM = 128 * 1024 * 1024


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_secret(secret: str) -> str:
    """Hash ``secret`` with a fresh salt.

    Returns
    -------
    str
        ``scrypt$N$r$p$salt$hash`` (salt and hash in base64).
    """
    salt = os.urandom(16)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            dklen=_DKLEN, maxmem=_MAXMEM)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_secret(secret: str, stored: str | None) -> bool:
    """True when ``secret`` matches ``stored`` (a :func:`hash_secret` value).

    A missing or unreadable stored hash never matches.
    """
    if not stored:
        return False
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return False
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                            dklen=len(expected), maxmem=_MAXMEM)
    # constant-time comparison, so timing does not leak how much matched
    return hmac.compare_digest(digest, expected)
