"""The installation key (made once, owner-only) and trusted keys."""

from __future__ import annotations

import json
import stat
import threading

import pytest

from docexam.errors import DocexamError, InputFileError
from docexam.signing import (TamperedError, UnsignedError, UntrustedKeyError, check_document, installation_key,
                             keys_dir, sign_document, trust_key, trusted_keys, untrust_key, verify_document)
from docexam.signing.keys import InstallationKey


def test_the_key_is_made_once_owner_only_even_when_asked_for_at_once():
    found = []
    threads = [threading.Thread(target=lambda: found.append(installation_key().public_text)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(found)) == 1
    path = keys_dir() / "installation.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in keys_dir().iterdir()] == ["installation.pem"]  # no temporary file left
    assert installation_key().public_text == found[0]


def test_own_key_is_trusted_and_others_only_once_named():
    own = installation_key()
    other = InstallationKey.generate()
    doc = sign_document({"format": "demo", "text": "ក"}, other)
    assert verify_document(sign_document({"a": 1}, own)).name == "this installation"
    with pytest.raises(UntrustedKeyError, match="not trusted here"):
        verify_document(doc)
    trust_key(other.public_text.removeprefix("ed25519:") + "  ", "  Koh   Kong laptop ")
    assert verify_document(doc).name == "Koh Kong laptop"
    assert [k.name for k in trusted_keys()] == ["this installation", "Koh Kong laptop"]
    assert untrust_key(other.public_text) and not untrust_key(other.public_text)
    with pytest.raises(UntrustedKeyError):
        verify_document(doc)


@pytest.mark.parametrize("change", ["value", "signature", "key", "drop"])
def test_any_change_breaks_the_signature(change):
    key = installation_key()
    doc = sign_document({"format": "demo", "scores": [0.25, 1.0]}, key)
    doc = json.loads(json.dumps(doc, indent=3))  # re-indenting is not a change
    assert check_document(doc).key == key.public_text
    if change == "value":
        doc["scores"][0] = 0.5
    elif change == "signature":
        value = bytearray(doc["signature"]["value"].encode())
        value[5] = ord("A") if value[5] != ord("A") else ord("B")
        doc["signature"]["value"] = value.decode()
    elif change == "key":
        doc["signature"]["key"] = InstallationKey.generate().public_text
    else:
        doc.pop("signature")
    with pytest.raises(UnsignedError if change == "drop" else TamperedError):
        check_document(doc)


@pytest.mark.parametrize("text, problem", [("ed25519:!!!", "not base64"), ("ed25519:AAAA", "32 bytes")])
def test_a_malformed_key_is_named(text, problem):
    with pytest.raises(DocexamError, match=problem):
        trust_key(text, "x")


def test_a_broken_trusted_file_is_one_line():
    trust_key(InstallationKey.generate().public_text, "a")
    (keys_dir() / "trusted.json").write_text('{"format": "docexam-trusted-keys", "version": 1, "keys": [{}]}')
    with pytest.raises(InputFileError, match=r"trusted.json: keys.0.name: Field required"):
        trusted_keys()
