"""The training room's network: the laptop's certificate, the join address and its QR code."""

from __future__ import annotations

import ipaddress
import ssl
import stat

import pytest
from cryptography import x509

from docexam.network import certificate
from docexam.ui.widgets import _qr_png


def test_certificate_names_the_laptops_addresses_and_is_kept(tmp_path):
    cert_path, key_path = certificate(["192.168.1.20", "10.0.0.5"], folder=tmp_path)
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {str(ip) for ip in names.get_values_for_type(x509.IPAddress)} == {"192.168.1.20", "10.0.0.5", "127.0.0.1"}
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    # Python's TLS stack accepts the pair as a server's
    ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert_path, key_path)
    # kept while it covers the addresses; made again when a new one appears
    assert certificate(["192.168.1.20"], folder=tmp_path) == (cert_path, key_path)
    assert x509.load_pem_x509_certificate(cert_path.read_bytes()).serial_number == cert.serial_number
    certificate(["192.168.7.7"], folder=tmp_path)
    again = x509.load_pem_x509_certificate(cert_path.read_bytes())
    ips = again.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.IPAddress)
    assert ipaddress.ip_address("192.168.7.7") in ips


def test_join_qr_code_reads_back(monkeypatch):
    import cv2
    import numpy as np

    png = _qr_png("https://192.168.1.20:8501")
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert text == "https://192.168.1.20:8501"


def test_workshops_page_shows_the_join_address(monkeypatch, docexam_home):
    from test_ui_app import unlock_trainer
    from test_ui_support import app, goto, make_folder

    make_folder(docexam_home, monkeypatch)
    monkeypatch.setenv("DOCEXAM_JOIN_URL", "https://192.168.1.20:8501")
    at = goto(unlock_trainer(app()), "workshops")
    at.text_input[1].input("Border post")
    at.text_input[2].input("Banteay Meanchey")
    at.text_input[4].input("POIPET-1")
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception and "POIPET-1" in at.success[0].value
    assert any("https://192.168.1.20:8501" in m.value for m in at.markdown)


@pytest.mark.slow
def test_the_app_serves_https_with_the_certificate(tmp_path, docexam_home):
    """The server started with the certificate answers over TLS, verified against that certificate."""
    import os
    import socket
    import subprocess
    import time
    import urllib.request

    from docexam.cli.app import streamlit_command

    cert, key = certificate(["127.0.0.1"], folder=tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = streamlit_command(host="127.0.0.1", port=port) + [f"--server.sslCertFile={cert}",
                                                             f"--server.sslKeyFile={key}"]
    proc = subprocess.Popen(cmd, env=dict(os.environ, DOCEXAM_NO_PREPARE="1"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    context = ssl.create_default_context(cafile=str(cert))
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"https://127.0.0.1:{port}/_stcore/health", context=context,
                                            timeout=3) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "the HTTPS server did not answer"
                time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(15)
