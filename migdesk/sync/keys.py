"""This desk's keys (Ed25519 to sign, X25519 to receive sealed packages), kept as files in
the data directory readable only by their owner, and the key cards parties exchange."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from migdesk import paths
from migdesk.i18n import N_
from migdesk.sync.errors import KeyProblem

CARD_FORMAT = "migdesk-key/1"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def raw_public(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_dir() -> Path:
    return paths.data_dir() / "keys"


@dataclass
class DeskKeys:
    desk_id: str
    signing: Ed25519PrivateKey
    sealing: X25519PrivateKey

    @property
    def sign_public(self) -> str:
        return b64(raw_public(self.signing.public_key()))

    @property
    def enc_public(self) -> str:
        return b64(raw_public(self.sealing.public_key()))

    def sign(self, data: bytes) -> bytes:
        return self.signing.sign(data)


def _paths(desk_id: str) -> tuple[Path, Path]:
    d = key_dir()
    return d / f"{desk_id}.ed25519.pem", d / f"{desk_id}.x25519.pem"


def _pem(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def ensure_keys(desk_id: str) -> DeskKeys:
    """Load this desk's keys, making them on first use (files with mode 0600)."""
    sign_path, seal_path = _paths(desk_id)
    if not sign_path.exists():
        paths.write_private(sign_path, _pem(Ed25519PrivateKey.generate()))
    if not seal_path.exists():
        paths.write_private(seal_path, _pem(X25519PrivateKey.generate()))
    return load_keys(desk_id)


def has_keys(desk_id: str) -> bool:
    """Whether this machine holds the desk's key files (without making them)."""
    return all(p.exists() for p in _paths(desk_id))


def load_keys(desk_id: str) -> DeskKeys:
    sign_path, seal_path = _paths(desk_id)
    try:
        signing = serialization.load_pem_private_key(sign_path.read_bytes(), None)
        sealing = serialization.load_pem_private_key(seal_path.read_bytes(), None)
    except FileNotFoundError:
        raise KeyProblem.of(None, N_("This desk has no keys in {dir}; run “migdesk init”"),
                            dir=str(key_dir())) from None
    except ValueError:
        raise KeyProblem.of(None, N_("The key files in {dir} are damaged"),
                            dir=str(key_dir())) from None
    if not isinstance(signing, Ed25519PrivateKey) or not isinstance(sealing, X25519PrivateKey):
        raise KeyProblem.of(None, N_("The key files in {dir} are damaged"), dir=str(key_dir()))
    return DeskKeys(desk_id, signing, sealing)


@dataclass(frozen=True)
class KeyCard:
    """What one party gives another to be trusted: id, name, role and public keys."""

    desk_id: str
    name: str
    role: str
    sign_key: str
    enc_key: str | None

    @property
    def fingerprint(self) -> str:
        """What two officers read to each other by telephone before trusting a card."""
        return fingerprint(self.desk_id, self.sign_key, self.enc_key)

    def to_json(self) -> str:
        return json.dumps({"format": CARD_FORMAT, "desk_id": self.desk_id, "name": self.name,
                           "role": self.role, "sign_key": self.sign_key,
                           "enc_key": self.enc_key}, ensure_ascii=False, indent=2) + "\n"


def fingerprint(desk_id: str, sign_key: str, enc_key: str | None) -> str:
    """SHA-256 of the card's id and public keys, in groups of four hex digits (the first
    thirty-two: 128 bits, enough against a forged card, short enough to read out)."""
    digest = hashlib.sha256(f"{desk_id}\n{sign_key}\n{enc_key or ''}".encode()).hexdigest()
    return " ".join(digest[i:i + 4].upper() for i in range(0, 32, 4))


CARD_MAX_BYTES = 64 * 1024


def read_card(path: str | Path) -> KeyCard:
    bad = KeyProblem.of(None, N_("“{path}” is not a migdesk key card"), path=str(path))
    try:
        with Path(path).open("rb") as fh:
            raw = fh.read(CARD_MAX_BYTES + 1)  # a card is a few hundred bytes
        if len(raw) > CARD_MAX_BYTES:
            raise bad
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        raise bad from None
    if not isinstance(data, dict) or data.get("format") != CARD_FORMAT:
        raise bad
    try:
        desk_id, name, role = str(data["desk_id"]), str(data["name"]), str(data["role"])
        sign = str(data["sign_key"])
        Ed25519PublicKey.from_public_bytes(unb64(sign))
        enc = data.get("enc_key")
        if enc is not None:
            X25519PublicKey.from_public_bytes(unb64(str(enc)))
    except (KeyError, ValueError, TypeError):
        raise bad from None
    if role not in ("desk", "central") or len(desk_id) != 36:
        raise bad
    return KeyCard(desk_id, name[:200], role, sign, enc)


def verify(sign_key_b64: str, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(unb64(sign_key_b64)).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
