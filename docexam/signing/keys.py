"""This installation's Ed25519 key pair and the public keys its trainers trust.

Files, all in ``$DOCEXAM_HOME/keys``:

* ``installation.pem`` - the private key (PKCS #8, PEM), made on first use,
  mode 0600: whoever reads it can sign as this installation;
* ``trusted.json`` - the public keys trusted here, each with the name the
  trainer gave it (format ``docexam-trusted-keys``, see ``docs/formats.md``).

A public key is written as text, ``ed25519:`` and the 32 key bytes in
base64 (what ``docexam keys show`` prints and ``docexam keys trust`` reads);
its fingerprint, the first 16 hex digits of its SHA-256 in groups of four,
is what two trainers read to each other over the phone to check a key.

Examples
--------
>>> key = InstallationKey.generate()
>>> text = key.public_text
>>> text.startswith("ed25519:") and parse_public_key(text) == text
True
>>> len(fingerprint(text))
19
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..i18n import Message
from ..atomic import ensure_dir, read_text, write_json
from ..errors import DocexamError, InputFileError, OutputError
from ..formats.reading import parse_json
from ..paths import docexam_home

PREFIX = "ed25519:"
PRIVATE_FILE = "installation.pem"
TRUSTED_FILE = "trusted.json"
TRUSTED_FORMAT = "docexam-trusted-keys"
#: what this installation's own key is called in lists of signers
OWN_NAME = "this installation"


def keys_dir() -> Path:
    """``$DOCEXAM_HOME/keys``."""
    return docexam_home() / "keys"


def parse_public_key(text: str) -> str:
    """The key in its normal text form; :class:`DocexamError` naming the problem if it is not one.

    Accepts surrounding spaces and a key without its ``ed25519:`` prefix.
    """
    if not isinstance(text, str):
        raise DocexamError(Message("key: expected text such as ed25519:BASE64"))
    body = text.strip()
    if body.startswith(PREFIX):
        body = body[len(PREFIX):]
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise DocexamError(Message("key {value!r}: not base64 (expected ed25519:BASE64, as `docexam keys show` "
                                   "prints it)", value=text.strip()[:60])) from None
    if len(raw) != 32:
        raise DocexamError(Message("key {value!r}: an Ed25519 key is 32 bytes, this is {n}", value=text.strip()[:60], n=len(raw)))
    return PREFIX + base64.b64encode(raw).decode("ascii")


def public_key_bytes(text: str) -> bytes:
    """The 32 raw bytes of a public key in text form."""
    return base64.b64decode(parse_public_key(text)[len(PREFIX):])


def fingerprint(text: str) -> str:
    """``1a2b-3c4d-5e6f-7a8b``: the first 16 hex digits of the key's SHA-256."""
    digest = hashlib.sha256(public_key_bytes(text)).hexdigest()[:16]
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


def verify_raw(key_text: str, signature: bytes, message: bytes) -> bool:
    """True when ``signature`` is ``key_text``'s Ed25519 signature of ``message``."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key_bytes(key_text)).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class InstallationKey:
    """This installation's private key (sign with it) and its public text."""

    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> InstallationKey:
        return cls(Ed25519PrivateKey.generate())

    @property
    def public_text(self) -> str:
        raw = self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return PREFIX + base64.b64encode(raw).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_text)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def pem(self) -> bytes:
        return self.private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption())


def _read_private(path: Path) -> InstallationKey:
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and st.st_mode & 0o077:
            os.chmod(path, 0o600)  # made by hand or copied with wider rights: narrow it
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, Message("cannot read this installation's key ({problem})", problem=exc.strerror or exc)) from None
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise InputFileError(path, Message("not a PEM private key; move it away and a new key is made (trainers who "
                                           "trusted the old one must trust the new one)")) from None
    if not isinstance(private, Ed25519PrivateKey):
        raise InputFileError(path, Message("not an Ed25519 key"))
    return InstallationKey(private)


def installation_key(*, create: bool = True) -> InstallationKey:
    """This installation's key, made (mode 0600) on first use.

    Two processes making it at the same moment end with one key: each
    writes a temporary file and links it into place, and the one that finds
    the name taken reads the other's.

    Raises
    ------
    InputFileError
        The key file exists but cannot be read.
    DocexamError
        No key yet and ``create`` is false.
    """
    path = keys_dir() / PRIVATE_FILE
    if path.exists():
        return _read_private(path)
    if not create:
        raise DocexamError(Message("{path}: this installation has no key yet (`docexam keys show` makes one)", path=path))
    folder = ensure_dir(keys_dir())
    os.chmod(folder, 0o700)
    key = InstallationKey.generate()
    fd, tmp = tempfile.mkstemp(prefix=".installation.", suffix=".tmp", dir=folder)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(key.pem())
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _read_private(path)
        except OSError as exc:
            raise OutputError(path, Message("cannot write this installation's key ({problem})", problem=exc.strerror or exc)) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return key


# ----------------------------------------------------------------- trusted keys

class TrustedKey(BaseModel):
    """A public key a trainer trusts, with the name they gave it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=200)
    key: str
    added_at: dt.datetime

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        try:
            return parse_public_key(value)
        except DocexamError as exc:
            raise ValueError(str(exc)) from None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)


class TrustedKeysFile(BaseModel):
    """``$DOCEXAM_HOME/keys/trusted.json``."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["docexam-trusted-keys"] = TRUSTED_FORMAT
    version: Literal[1] = 1
    keys: list[TrustedKey] = []


def _trusted_file() -> TrustedKeysFile:
    path = keys_dir() / TRUSTED_FILE
    if not path.exists():
        return TrustedKeysFile()
    try:
        return TrustedKeysFile.model_validate(parse_json(read_text(path), path))
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "file"
        raise InputFileError(path, f"{where}: {err['msg']}") from None


def trusted_keys(*, include_own: bool = True) -> list[TrustedKey]:
    """The keys trusted here; this installation's own key first (it may import its own packs)."""
    keys = list(_trusted_file().keys)
    if include_own and (keys_dir() / PRIVATE_FILE).exists():
        own = installation_key().public_text
        if all(k.key != own for k in keys):
            keys.insert(0, TrustedKey(name=OWN_NAME, key=own, added_at=dt.datetime.now(dt.timezone.utc)))
    return keys


def trust_key(key: str, name: str) -> TrustedKey:
    """Trust ``key`` under ``name`` (a key trusted already is renamed).

    Raises
    ------
    DocexamError
        A malformed key or an empty name.
    """
    key = parse_public_key(key)
    name = " ".join(str(name or "").split())
    if not name:
        raise DocexamError(Message("--name: give the key a name trainers recognise (e.g. 'Poipet laptop')"))
    if len(name) > 200:
        raise DocexamError(Message("--name: at most 200 characters"))
    data = _trusted_file()
    entry = TrustedKey(name=name, key=key, added_at=dt.datetime.now(dt.timezone.utc))
    data.keys = [k for k in data.keys if k.key != key] + [entry]
    write_json(ensure_dir(keys_dir()) / TRUSTED_FILE, data.model_dump(mode="json"))
    return entry


def untrust_key(key: str) -> bool:
    """Stop trusting ``key``; False when it was not trusted."""
    key = parse_public_key(key)
    data = _trusted_file()
    kept = [k for k in data.keys if k.key != key]
    if len(kept) == len(data.keys):
        return False
    data.keys = kept
    write_json(keys_dir() / TRUSTED_FILE, data.model_dump(mode="json"))
    return True
