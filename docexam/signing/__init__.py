"""Who made a file: this installation's signing key, the keys its trainers trust, signed JSON.

Every docexam installation (a provincial laptop, the headquarters server)
has one Ed25519 key pair, made on first use (:mod:`.keys`); its private half
stays in ``$DOCEXAM_HOME/keys`` readable by its owner only. Files that carry
content or training records from one installation to another (workshop
exports, packs) are JSON documents signed with it (:mod:`.documents`); the
receiving installation accepts them only when the signature is valid and
the key is one its trainer chose to trust (``docexam keys trust``).

This room sits low: the training record signs its exports with it, and the
sharing room (packs, alerts, the headquarters server) builds on both.
"""

from .documents import (SIGNATURE_FIELD, SignatureError, Signer, TamperedError, UnsignedError, UntrustedKeyError,
                        canonical_json, check_document, sign_document, verify_document)
from .keys import (InstallationKey, TrustedKey, fingerprint, installation_key, keys_dir, parse_public_key,
                   trust_key, trusted_keys, untrust_key)

__all__ = ["InstallationKey", "SIGNATURE_FIELD", "SignatureError", "Signer", "TamperedError", "TrustedKey",
           "UnsignedError", "UntrustedKeyError", "canonical_json", "check_document", "fingerprint",
           "installation_key", "keys_dir", "parse_public_key", "sign_document", "trust_key", "trusted_keys",
           "untrust_key", "verify_document"]
