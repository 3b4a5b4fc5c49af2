"""Makes the mTLS interop section's TLS material for one run, in a private temp dir: a test CA,
the https server certificate (127.0.0.1), client certificates it issues, and a self-signed one.

Nothing here is committed: every key is made fresh (P-256, PKCS#8, files 0600) and dies with the
run's temp dir. The subjects are the ones apps/oidc_provider_mtls.js registers.
"""

import base64
import datetime
import hashlib
import ipaddress
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = "tokdbg interop test CA"
ORG = "tokdbg interop"
# The tls_client_auth client's registered subject is CN=oidcp-mtls,O=tokdbg interop (RFC 4514).
CLIENT_CN = "oidcp-mtls"
# Another certificate of the same CA, for a subject nobody registered.
OTHER_CN = "oidcp-mtls-stranger"
SELF_SIGNED_CN = "oidcp-mtls-self-signed"


def _name(cn):
    # O first, CN last in the DER sequence: RFC 4514 writes it "CN=…,O=…".
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORG), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _write_key(path, key):
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _write_cert(path, cert):
    Path(path).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _build(subject, issuer, public_key, signer, *, ca=False, usage=None, names=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True
        )
    if usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(signer, hashes.SHA256())


def make(folder):
    """Writes ca.pem, server.pem/.key, client.pem/.key (CN=oidcp-mtls), other.pem/.key (same CA,
    another subject) and self-signed.pem/.key into `folder`; returns their paths by name."""
    folder = Path(folder)
    folder.mkdir(mode=0o700, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_subject = _name(CA_NAME)
    ca = _build(ca_subject, ca_subject, ca_key.public_key(), ca_key, ca=True)
    _write_cert(folder / "ca.pem", ca)
    # The CA key is not kept: nothing signs after this.

    def issued(stem, cn, usage, names=None):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _build(_name(cn), ca_subject, key.public_key(), ca_key, usage=usage, names=names)
        _write_cert(folder / f"{stem}.pem", cert)
        _write_key(folder / f"{stem}.key", key)

    loopback = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
    issued("server", "127.0.0.1", ExtendedKeyUsageOID.SERVER_AUTH, loopback)
    issued("client", CLIENT_CN, ExtendedKeyUsageOID.CLIENT_AUTH)
    issued("other", OTHER_CN, ExtendedKeyUsageOID.CLIENT_AUTH)

    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(SELF_SIGNED_CN)
    _write_cert(folder / "self-signed.pem", _build(subject, subject, key.public_key(), key, usage=ExtendedKeyUsageOID.CLIENT_AUTH))
    _write_key(folder / "self-signed.key", key)
    return {p.stem + p.suffix: p for p in folder.iterdir()}


def thumbprint(pem_path):
    """RFC 8705 §3.1 x5t#S256 of a PEM certificate: base64url (no padding) SHA-256 of its DER."""
    cert = x509.load_pem_x509_certificate(Path(pem_path).read_bytes())
    digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
