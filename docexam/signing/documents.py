"""Signed JSON documents: a ``"signature"`` member over the canonical form of the rest.

A signed document is an ordinary JSON object with one more member::

    {"format": "docexam-workshop-records", ..., "signature":
        {"algorithm": "ed25519", "key": "ed25519:BASE64", "value": "BASE64"}}

The signature covers :func:`canonical_json` of the object without
``"signature"`` (keys sorted, no spaces, UTF-8), prefixed with a fixed
context line, so the file may be re-indented without breaking it but any
change of a value does. The reader verifies what it parsed and then uses
exactly that parsed data: what is imported is what was signed.

Examples
--------
>>> from docexam.signing.keys import InstallationKey
>>> key = InstallationKey.generate()
>>> doc = sign_document({"format": "demo", "n": 1}, key)
>>> check_document(doc).key == key.public_text
True
>>> doc["n"] = 2
>>> check_document(doc)
Traceback (most recent call last):
...
docexam.signing.documents.TamperedError: the signature does not match the content: the file was changed after it was signed
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from ..i18n import Message
from ..errors import DocexamError
from .keys import OWN_NAME, InstallationKey, fingerprint, parse_public_key, trusted_keys, verify_raw

SIGNATURE_FIELD = "signature"
ALGORITHM = "ed25519"
#: signed bytes start with this line: a signature made for a docexam document means nothing elsewhere
CONTEXT = b"docexam signed document v1\n"


class SignatureError(DocexamError):
    """A document's signature is missing, wrong, or made by a key not trusted here."""


class UnsignedError(SignatureError):
    """The document carries no signature."""


class TamperedError(SignatureError):
    """The signature does not match the content (or is malformed)."""


class UntrustedKeyError(SignatureError):
    """The signature is valid, but its key is not trusted here."""


@dataclass(frozen=True)
class Signer:
    """Who signed a document: the key, its fingerprint, and its name here (None when not trusted)."""

    key: str
    name: str | None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)

    @property
    def trusted(self) -> bool:
        return self.name is not None

    def describe(self) -> str:
        return f"{self.name} ({self.fingerprint})" if self.name else f"an untrusted key ({self.fingerprint})"


def canonical_json(obj: Any) -> bytes:
    """The one byte form of a JSON value that signatures cover.

    >>> canonical_json({"b": [1, 2.5], "a": "ក"})
    b'{"a":"\\xe1\\x9e\\x80","b":[1,2.5]}'
    """
    try:
        return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise DocexamError(Message("cannot sign this document: {exc}", exc=exc)) from None


def _message(doc: dict) -> bytes:
    return CONTEXT + canonical_json({k: v for k, v in doc.items() if k != SIGNATURE_FIELD})


def sign_document(doc: dict, key: InstallationKey) -> dict:
    """A copy of ``doc`` with a ``"signature"`` member made with ``key`` (``doc`` is not modified)."""
    if not isinstance(doc, dict):
        raise TypeError("doc: expected a dict")
    body = {k: v for k, v in doc.items() if k != SIGNATURE_FIELD}
    value = key.sign(_message(body))
    return {**body, SIGNATURE_FIELD: {"algorithm": ALGORITHM, "key": key.public_text,
                                      "value": base64.b64encode(value).decode("ascii")}}


def check_document(doc: dict) -> Signer:
    """The document's signer when its signature is valid, trusted here or not (``name`` None if not).

    Raises
    ------
    UnsignedError, TamperedError
    """
    sig = doc.get(SIGNATURE_FIELD) if isinstance(doc, dict) else None
    if sig is None:
        raise UnsignedError(Message("the file is not signed: it cannot be told who made it or whether it was changed"))
    if not isinstance(sig, dict) or sig.get("algorithm") != ALGORITHM or set(sig) != {"algorithm", "key", "value"}:
        raise TamperedError(Message("the signature is malformed (expected algorithm, key and value, ed25519)"))
    try:
        key = parse_public_key(sig["key"])
        value = base64.b64decode(sig["value"], validate=True)
    except (DocexamError, binascii.Error, ValueError, TypeError):
        raise TamperedError(Message("the signature is malformed (key or value is not base64)")) from None
    if len(value) != 64 or not verify_raw(key, value, _message(doc)):
        raise TamperedError(Message("the signature does not match the content: the file was changed after it was "
                                    "signed"))
    names = {k.key: k.name for k in trusted_keys()}
    return Signer(key=key, name=names.get(key))


def verify_document(doc: dict) -> Signer:
    """The signer of ``doc``, whose signature must be valid and whose key must be trusted here.

    Raises
    ------
    UnsignedError, TamperedError, UntrustedKeyError
    """
    signer = check_document(doc)
    if not signer.trusted:
        raise UntrustedKeyError(Message("signed by a key not trusted here ({fingerprint}); if you know whose it is, "
                                        "trust it with `docexam keys trust {key} --name NAME`", fingerprint=signer.fingerprint, key=signer.key))
    return signer


__all__ = ["OWN_NAME", "SIGNATURE_FIELD", "SignatureError", "Signer", "TamperedError", "UnsignedError",
           "UntrustedKeyError", "canonical_json", "check_document", "sign_document", "verify_document"]
