"""The training room's network: this laptop's addresses and the certificate it serves HTTPS with.

Phones refuse the camera on a page that is not a secure context, and
``http://192.168.x.y`` is not one. ``docexam app --host 0.0.0.0`` therefore
serves HTTPS with a certificate made here for this laptop (its LAN
addresses and name as subject alternative names), kept in
``$DOCEXAM_HOME/tls`` and made again when an address it lacks appears or
it nears its end. It is self-signed: each phone shows a warning once, and
the trainer accepts it (README).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .atomic import ensure_dir, write_bytes
from .paths import docexam_home

#: the address trainees join at, set by ``docexam app --host 0.0.0.0`` for the server it starts
JOIN_URL_ENV = "DOCEXAM_JOIN_URL"
#: how long a made certificate holds (browsers cap what they accept for self-signed ones anyway)
CERTIFICATE_DAYS = 825
#: a certificate this close to its end is made again
RENEW_BEFORE = dt.timedelta(days=30)


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses on the local network (what trainees type on their phones)."""
    found = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(info[4][0])
    except OSError:
        pass
    try:  # the address of the default route, without sending anything
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            found.add(s.getsockname()[0])
    except OSError:
        pass
    return sorted(a for a in found if not a.startswith("127."))


def tls_dir() -> Path:
    return docexam_home() / "tls"


def _covers(cert_path: Path, addresses: list[str]) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, x509.ExtensionNotFound):
        return False
    have = {str(ip) for ip in names.get_values_for_type(x509.IPAddress)}
    ends = cert.not_valid_after_utc
    return set(addresses) <= have and ends - dt.datetime.now(dt.timezone.utc) > RENEW_BEFORE


def certificate(addresses: list[str] | None = None, *, folder: Path | None = None) -> tuple[Path, Path]:
    """``(certificate, private key)`` PEM files for this laptop, made if missing or not covering ``addresses``.

    The key file is readable by its owner only.
    """
    folder = ensure_dir(folder or tls_dir())
    cert_path, key_path = folder / "docexam.crt", folder / "docexam.key"
    addresses = sorted(set(addresses if addresses is not None else lan_addresses()) | {"127.0.0.1"})
    if cert_path.is_file() and key_path.is_file() and _covers(cert_path, addresses):
        return cert_path, key_path
    key = ec.generate_private_key(ec.SECP256R1())
    host = socket.gethostname() or "docexam"
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"docexam on {host}"[:64]),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "docexam training laptop")])
    now = dt.datetime.now(dt.timezone.utc)
    alt = [x509.DNSName("localhost"), x509.DNSName(host)] + [x509.IPAddress(ipaddress.ip_address(a))
                                                             for a in addresses]
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=CERTIFICATE_DAYS))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    old = os.umask(0o077)  # the key is created owner-only
    try:
        write_bytes(key_path, key_pem)
    finally:
        os.umask(old)
    os.chmod(key_path, 0o600)
    write_bytes(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def join_url(address: str, port: int, *, https: bool) -> str:
    """What a trainee types.

    >>> join_url("192.168.1.20", 8501, https=True)
    'https://192.168.1.20:8501'
    """
    return f"{'https' if https else 'http'}://{address}:{port}"
