"""Sealing a package file to one recipient: X25519 key agreement, HKDF, AES-256-GCM in
1 MiB chunks (the last chunk is marked, so a cut file is detected); streamed both ways."""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from migdesk.i18n import N_
from migdesk.sync.errors import PackageRefused
from migdesk.sync.keys import raw_public, unb64

MAGIC = b"MIGDESK-SEALED01"
CHUNK = 1 << 20
HEADER = len(MAGIC) + 36 + 32 + 8


def is_sealed(path: str | os.PathLike[str]) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _key(shared: bytes, eph: bytes, recipient: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=eph + recipient,
                info=b"migdesk package v1").derive(shared)


def seal(src: BinaryIO, dst: BinaryIO, recipient_id: str, recipient_key_b64: str) -> None:
    recipient = unb64(recipient_key_b64)
    eph = X25519PrivateKey.generate()
    eph_pub = raw_public(eph.public_key())
    aes = AESGCM(_key(eph.exchange(X25519PublicKey.from_public_bytes(recipient)), eph_pub,
                      recipient))
    prefix = os.urandom(8)
    header = MAGIC + recipient_id.encode("ascii").ljust(36)[:36] + eph_pub + prefix
    dst.write(header)
    index = 0
    block = src.read(CHUNK)
    while True:
        nxt = src.read(CHUNK)
        last = not nxt
        ct = aes.encrypt(prefix + struct.pack(">I", index), block,
                         header + (b"\x01" if last else b"\x00"))
        dst.write(struct.pack(">I", len(ct)) + ct)
        if last:
            return
        block, index = nxt, index + 1


def recipient_of(path: str | os.PathLike[str]) -> str:
    with open(path, "rb") as fh:
        head = fh.read(HEADER)
    return head[len(MAGIC):len(MAGIC) + 36].decode("ascii", "replace").strip()


def unseal(src: BinaryIO, dst: BinaryIO, private: X25519PrivateKey) -> None:
    member = N_("sealed envelope")
    header = src.read(HEADER)
    if len(header) < HEADER or not header.startswith(MAGIC):
        raise PackageRefused.at(member, 0, N_("the file is truncated or not a package"))
    eph_pub = header[len(MAGIC) + 36:len(MAGIC) + 68]
    prefix = header[-8:]
    recipient = raw_public(private.public_key())
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    except ValueError:
        raise PackageRefused.at(member, 0, N_("the envelope is damaged")) from None
    aes = AESGCM(_key(shared, eph_pub, recipient))
    index = 0
    while True:
        size_raw = src.read(4)
        if len(size_raw) < 4:
            raise PackageRefused.at(member, 0, N_("the file is truncated"))
        (size,) = struct.unpack(">I", size_raw)
        if size > CHUNK + 16:
            raise PackageRefused.at(member, 0, N_("the envelope is damaged"))
        ct = src.read(size)
        if len(ct) < size:
            raise PackageRefused.at(member, 0, N_("the file is truncated"))
        nonce = prefix + struct.pack(">I", index)
        try:
            try:
                block = aes.decrypt(nonce, ct, header + b"\x00")
                last = False
            except InvalidTag:
                block = aes.decrypt(nonce, ct, header + b"\x01")
                last = True
        except InvalidTag:
            raise PackageRefused.at(member, 0, N_(
                "the contents were changed, or the package was sealed for another key")
            ) from None
        dst.write(block)
        index += 1
        if last:
            if src.read(1):
                raise PackageRefused.at(member, 0, N_("the envelope is damaged"))
            return
