"""The package file: a zip of manifest.json (signed in manifest.sig), changes.jsonl and
attachments/<sha256>, optionally sealed to its recipient. Written and read as streams;
`open_package` checks envelope, signature, format, schema and every member's hash before
a caller sees a single change."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migdesk.i18n import N_
from migdesk.sync import keys as keymod
from migdesk.sync import seal
from migdesk.sync.errors import PackageRefused

FORMAT = 1
MANIFEST, SIGNATURE, CHANGES = "manifest.json", "manifest.sig", "changes.jsonl"
AUDIT = "audit.jsonl"  # the sender's audit chain (sync/chain.py)
ATTACH = "attachments/"
PACKAGE = N_("package")
_BUF = 1 << 18


class _HashingWriter:
    def __init__(self, fh: Any) -> None:
        self.fh, self.sha, self.size = fh, hashlib.sha256(), 0

    def write(self, data: bytes) -> None:
        self.sha.update(data)
        self.size += len(data)
        self.fh.write(data)


def write_package(path: str | os.PathLike[str], manifest: dict[str, Any],
                  lines: Iterable[str], attachments: Callable[[], Iterable[tuple[str, bytes]]],
                  keys: keymod.DeskKeys, seal_to: tuple[str, str] | None = None,
                  audit_lines: Iterable[str] = ()) -> dict:
    """Write the package; `manifest` gets members and counts filled in and is returned.
    `audit_lines` are the sender's audit-chain entries (sync/chain.py), in `audit.jsonl`."""
    out = Path(path)
    if out.exists() and not out.is_file():  # a folder, or a device such as /dev/full
        raise PackageRefused.at(PACKAGE, 0, N_("{path} is not a file the package can replace"),
                                path=str(out))
    # The package holds personal data: while it is being written it lives in an unnamed file
    # (gone with the process, however it ends) when it is to be sealed, and the file that
    # gets the output's name at the end is owner-only from its first byte.
    part = out.with_name(f".{out.name}.{os.getpid()}.part")
    zfile: Any = tempfile.TemporaryFile(dir=out.parent) if seal_to is not None else \
        os.fdopen(os.open(part, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600), "w+b")
    try:
        members: dict[str, dict[str, Any]] = {}
        count = 0
        with zipfile.ZipFile(zfile, "w", compression=zipfile.ZIP_DEFLATED,
                             compresslevel=1, allowZip64=True) as zf:
            with zf.open(CHANGES, "w", force_zip64=True) as raw:
                w = _HashingWriter(raw)
                buf: list[str] = []
                size = 0
                for line in lines:
                    buf.append(line)
                    size += len(line)
                    count += 1
                    if size > _BUF:
                        w.write("".join(buf).encode("utf-8"))
                        buf, size = [], 0
                if buf:
                    w.write("".join(buf).encode("utf-8"))
            members[CHANGES] = {"sha256": w.sha.hexdigest(), "size": w.size}
            with zf.open(AUDIT, "w", force_zip64=True) as raw:
                w = _HashingWriter(raw)
                for line in audit_lines:
                    w.write(line.encode("utf-8"))
            members[AUDIT] = {"sha256": w.sha.hexdigest(), "size": w.size}
            n_att = 0
            for sha, data in attachments():
                name = ATTACH + sha
                if name in members:
                    continue
                with zf.open(name, "w") as raw:
                    w = _HashingWriter(raw)
                    w.write(data)
                members[name] = {"sha256": w.sha.hexdigest(), "size": w.size}
                n_att += 1
            manifest = dict(manifest, format=FORMAT, members=members,
                            counts={"changes": count, "attachments": n_att})
            body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            zf.writestr(MANIFEST, body)
            zf.writestr(SIGNATURE, keys.sign(body))
        if seal_to is not None:
            zfile.seek(0)
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as dst:
                seal.seal(zfile, dst, seal_to[0], seal_to[1])
                dst.flush()
                os.fsync(dst.fileno())
        else:
            zfile.flush()
            os.fsync(zfile.fileno())
        zfile.close()
        os.replace(part, out)
        return manifest
    finally:
        zfile.close()
        part.unlink(missing_ok=True)


@dataclass
class Package:
    """A checked package, open for reading."""

    manifest: dict[str, Any]
    zf: zipfile.ZipFile
    # The unsealed copy, an unnamed file this process holds open (none for a plain package):
    # a second process reads it through /proc/self/fd when given the descriptor.
    private_fd: int | None = None

    def lines(self, member: str = CHANGES) -> Generator[tuple[int, str], None, None]:
        with self.zf.open(member) as raw:
            # Read the member a megabyte at a time: the text layer asks for 8 KB pieces, and
            # each piece straight from the zip member costs a Python-level decompress call.
            buffered = io.BufferedReader(raw, buffer_size=1 << 20)  # type: ignore[type-var]
            text = io.TextIOWrapper(buffered, encoding="utf-8", newline="\n")
            try:
                for n, line in enumerate(text, 1):
                    if line.strip():
                        yield n, line
            except UnicodeDecodeError:
                raise PackageRefused.at(member, 0, N_("the text is not UTF-8")) from None

    def audit_lines(self) -> Generator[tuple[int, str], None, None] | None:
        """The sender's audit-chain entries (None when the package has none)."""
        return self.lines(AUDIT) if AUDIT in self.manifest["members"] else None

    def attachment(self, sha: str) -> bytes | None:
        name = ATTACH + sha
        if name not in self.manifest["members"]:
            return None
        data = self.zf.read(name)
        return data if hashlib.sha256(data).hexdigest() == sha else None


@contextmanager
def open_package(path: str | os.PathLike[str], own_keys: keymod.DeskKeys | None,
                 signer_key: Callable[[str], str | None],
                 known_schema: Callable[[str], bool]) -> Iterator[Package]:
    """Check the whole package, then hand it over; refuse with PackageRefused otherwise."""
    src = Path(path)
    if not src.is_file():
        raise PackageRefused.at(PACKAGE, 0, N_("no such file: {path}"), path=str(src))
    unsealed: Any = None
    try:
        zpath: Any = src
        if seal.is_sealed(src):
            recipient = seal.recipient_of(src)
            if own_keys is None or recipient != own_keys.desk_id:
                raise PackageRefused.at(PACKAGE, 0, N_(
                    "the package is sealed for another desk ({desk})"), desk=recipient)
            # Unsealed into an unnamed file: nothing readable outlives the process.
            unsealed = tempfile.TemporaryFile()
            with open(src, "rb") as fin:
                seal.unseal(fin, unsealed, own_keys.sealing)
            unsealed.flush()
            unsealed.seek(0)
            zpath = unsealed
        try:
            zf = zipfile.ZipFile(zpath)
        except (zipfile.BadZipFile, OSError):
            raise PackageRefused.at(PACKAGE, 0, N_(
                "the file is truncated or is not a migdesk package")) from None
        with zf:
            manifest = _check(zf, signer_key, known_schema)
            private = unsealed.fileno() if unsealed is not None and \
                os.path.isdir("/proc/self/fd") else None
            yield Package(manifest, zf, private)
    finally:
        if unsealed is not None:
            unsealed.close()


def _check(zf: zipfile.ZipFile, signer_key: Callable[[str], str | None],
           known_schema: Callable[[str], bool]) -> dict[str, Any]:
    names = set(zf.namelist())
    for required in (MANIFEST, SIGNATURE, CHANGES):
        if required not in names:
            raise PackageRefused.at(required, 0, N_("the member is missing"))
    if zf.getinfo(MANIFEST).file_size > 50_000_000:
        raise PackageRefused.at(MANIFEST, 0, N_("the manifest is too large"))
    try:
        body = zf.read(MANIFEST)
        signature = zf.read(SIGNATURE)
        manifest = json.loads(body)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise PackageRefused.at(MANIFEST, 0, N_("the member is damaged")) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("members"), dict):
        raise PackageRefused.at(MANIFEST, 0, N_("the manifest is not valid"))
    if manifest.get("format") != FORMAT:
        raise PackageRefused.at(MANIFEST, 0, N_(
            "format version {version} is not supported (this migdesk reads {ours})"),
            version=str(manifest.get("format"))[:20], ours=FORMAT)
    sender = str(manifest.get("desk_id", ""))[:36]
    key = signer_key(sender)
    if key is None:
        raise PackageRefused.at(SIGNATURE, 0, N_(
            "signed by a desk this desk does not trust ({desk}); use “migdesk desk trust”"),
            desk=sender)
    if not keymod.verify(key, signature, body):
        raise PackageRefused.at(SIGNATURE, 0, N_(
            "the signature does not match: the package was changed after it was signed"))
    schema = str(manifest.get("schema"))
    if not known_schema(schema):
        raise PackageRefused.at(MANIFEST, 0, N_(
            "made with a newer database schema ({schema}); update migdesk first"),
            schema=schema[:40])
    listed = set(manifest["members"])
    extra = names - listed - {MANIFEST, SIGNATURE}
    if extra:
        raise PackageRefused.at(sorted(extra)[0], 0, N_("the member is not in the manifest"))
    for name in sorted(listed):
        if name not in names:
            raise PackageRefused.at(name, 0, N_("the member is missing"))
        expected = manifest["members"][name]
        sha, size = hashlib.sha256(), 0
        try:
            with zf.open(name) as fh:
                while chunk := fh.read(1 << 20):
                    sha.update(chunk)
                    size += len(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise PackageRefused.at(name, 0, N_("the member is damaged or truncated")) from None
        if not isinstance(expected, dict) or sha.hexdigest() != expected.get("sha256") \
                or size != expected.get("size"):
            raise PackageRefused.at(name, 0, N_(
                "the contents do not match the manifest (SHA-256 differs)"))
    return manifest
