"""The package file: a zip of manifest.json (signed in manifest.sig), changes.jsonl and
attachments/<sha256>, optionally sealed to its recipient. Written and read as streams;
`open_package` checks envelope, signature, format, schema and every member's hash before
a caller sees a single change."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
import zlib
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

# Limits that keep an import's memory and time bounded whatever the package holds (a
# signature proves who made a package, not that it is sane). The member sizes are the ones
# the zip declares, checked before anything is inflated; inflating never yields more.
MAX_LINE = 1 << 20  # bytes of one line of changes.jsonl (the longest real line is ~200 KB)
MAX_MEMBERS = 50_000  # members of one package (attachments are one member each)
MAX_DIRECTORY = 16 << 20  # bytes of the zip's central directory (names and extra fields)
# The refusal of a package from a desk not trusted here (the window offers to trust it).
UNTRUSTED_SIGNER = N_(
    "signed by a desk this desk does not trust ({desk}); use “migdesk desk trust”")
MAX_MANIFEST = 8 << 20  # bytes of manifest.json
MAX_SIGNATURE = 1024
MAX_ATTACHMENT = 64 << 20  # bytes of one attachment
MAX_CHANGES = 16 << 30  # bytes of changes.jsonl (a whole country's desk is a few GB)
MAX_TOTAL = 32 << 30  # bytes of all members together, inflated
_ATTACHMENT_NAME = re.compile(r"attachments/[0-9a-f]{64}\Z")
_COPY = 1 << 20
# What reading a damaged or foreign zip can raise: an encrypted member (RuntimeError), a
# compression method zipfile lacks (NotImplementedError), a broken deflate stream.
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, RuntimeError,
               NotImplementedError)


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
        """(line number, text) of each line of a JSON-lines member (changes.jsonl, or the
        sender's audit.jsonl), read a line at a time and never more than MAX_LINE bytes of
        one (a longer line refuses the package)."""
        with self.zf.open(member) as raw:
            # Read the member a megabyte at a time: each piece straight from the zip member
            # costs a Python-level decompress call.
            buffered = io.BufferedReader(raw, buffer_size=1 << 20)  # type: ignore[type-var]
            n = 0
            while True:
                data = buffered.readline(MAX_LINE + 1)
                if not data:
                    return
                n += 1
                if len(data) > MAX_LINE:
                    raise line_too_long(n, member)
                try:
                    line = data.decode("utf-8")
                except UnicodeDecodeError:
                    raise PackageRefused.at(member, n, N_("the text is not UTF-8")) from None
                if line.strip():
                    yield n, line

    def audit_lines(self) -> Generator[tuple[int, str], None, None] | None:
        """The sender's audit-chain entries (None when the package has none)."""
        return self.lines(AUDIT) if AUDIT in self.manifest["members"] else None

    def attachment_size(self, sha: str) -> int | None:
        """The size of attachment `sha` when the package carries it, else None."""
        entry = self.manifest["members"].get(ATTACH + sha)
        return entry.get("size") if isinstance(entry, dict) else None

    def copy_attachment(self, sha: str, write: Callable[[bytes], Any]) -> bool:
        """Stream attachment `sha` to `write` a megabyte at a time; False when the package
        does not carry it or its content is not `sha` (what was written is then garbage the
        caller rolls back)."""
        name = ATTACH + sha
        if name not in self.manifest["members"]:
            return False
        digest = hashlib.sha256()
        with self.zf.open(name) as fh:
            while chunk := fh.read(_COPY):
                digest.update(chunk)
                write(chunk)
        return digest.hexdigest() == sha

    def attachment(self, sha: str) -> bytes | None:
        """Attachment `sha` whole (at most MAX_ATTACHMENT bytes), or None."""
        parts: list[bytes] = []
        return b"".join(parts) if self.copy_attachment(sha, parts.append) else None


def whole(value: Any) -> int:
    """A count or change number of the manifest: a JSON whole number a database can hold
    (not a float, a string or true); ValueError otherwise."""
    if type(value) is not int or not 0 <= value < 2**62:
        raise ValueError(value)
    return value


def line_too_long(n: int, member: str = CHANGES) -> PackageRefused:
    return PackageRefused.at(member, n, N_(
        "the line is longer than {n} bytes: this is not a package migdesk wrote"),
        n=MAX_LINE)


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
        _refuse_many_members(zpath)
        try:
            zf = zipfile.ZipFile(zpath)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
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


def _refuse_many_members(zpath: Any) -> None:
    """Refuse a zip that says it has more than MAX_MEMBERS members before its directory is
    read (reading it makes an object of every member)."""
    try:
        if isinstance(zpath, Path):
            with open(zpath, "rb") as fh:
                end = zipfile._EndRecData(fh)  # type: ignore[attr-defined]
        else:
            end = zipfile._EndRecData(zpath)  # type: ignore[attr-defined]
            zpath.seek(0)
    except (OSError, AttributeError, ValueError):
        return  # zipfile itself decides; the count is checked again once it is read
    if end and end[zipfile._ECD_ENTRIES_TOTAL] > MAX_MEMBERS:  # type: ignore[attr-defined]
        raise too_many_members(end[zipfile._ECD_ENTRIES_TOTAL])  # type: ignore[attr-defined]
    if end and end[zipfile._ECD_SIZE] > MAX_DIRECTORY:  # type: ignore[attr-defined]
        raise PackageRefused.at(PACKAGE, 0, N_(
            "the package's list of members is {size} bytes, more than the {n} allowed"),
            size=end[zipfile._ECD_SIZE], n=MAX_DIRECTORY)  # type: ignore[attr-defined]


def too_many_members(count: int) -> PackageRefused:
    return PackageRefused.at(PACKAGE, 0, N_(
        "the package has {count} members, more than the {n} a package may have"),
        count=count, n=MAX_MEMBERS)


def _check_members(zf: zipfile.ZipFile) -> set[str]:
    """Member names and declared sizes, before anything is inflated: only the names migdesk
    writes (no folders, no ../, no absolute or Windows paths), no name twice, and every size
    within its limit."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise too_many_members(len(infos))
    names: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        fixed = {MANIFEST: MAX_MANIFEST, SIGNATURE: MAX_SIGNATURE, CHANGES: MAX_CHANGES,
                 AUDIT: MAX_CHANGES}
        if name in fixed:
            most = fixed[name]
        elif _ATTACHMENT_NAME.match(name):
            most = MAX_ATTACHMENT
        else:
            raise PackageRefused.at(PACKAGE, 0, N_(
                "the member name “{name}” is not one a package has"), name=_shown(name))
        if name in names:
            raise PackageRefused.at(name, 0, N_("the member is in the package twice"))
        names.add(name)
        if info.file_size > most:
            raise PackageRefused.at(name, 0, N_(
                "the member is {size} bytes inflated, more than the {n} allowed"),
                size=info.file_size, n=most)
        total += info.file_size
    if total > MAX_TOTAL:
        raise PackageRefused.at(PACKAGE, 0, N_(
            "the members are {size} bytes inflated, more than the {n} allowed"),
            size=total, n=MAX_TOTAL)
    return names


def _shown(name: str) -> str:
    from migdesk.domain.rules import shown

    return shown(name, 80)


def _check(zf: zipfile.ZipFile, signer_key: Callable[[str], str | None],
           known_schema: Callable[[str], bool]) -> dict[str, Any]:
    names = _check_members(zf)
    for required in (MANIFEST, SIGNATURE, CHANGES):
        if required not in names:
            raise PackageRefused.at(required, 0, N_("the member is missing"))
    try:
        body = zf.read(MANIFEST)
        signature = zf.read(SIGNATURE)
        manifest = json.loads(body)
    except _ZIP_ERRORS:
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
        raise PackageRefused.at(SIGNATURE, 0, UNTRUSTED_SIGNER, desk=sender)
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
    counts = manifest.get("counts")
    most_lines = counts.get("changes") if isinstance(counts, dict) else None
    if type(most_lines) is not int:
        most_lines = None  # refused by the importer, which reads the counts
    for name in sorted(listed):
        if name not in names:
            raise PackageRefused.at(name, 0, N_("the member is missing"))
        expected = manifest["members"][name]
        sha, size = hashlib.sha256(), 0
        gap = newlines = 0  # bytes since the last newline of changes.jsonl, and newlines
        try:
            with zf.open(name) as fh:
                while chunk := fh.read(1 << 20):
                    sha.update(chunk)
                    size += len(chunk)
                    if name == CHANGES:  # a line too long is refused before it is read
                        first = chunk.find(b"\n")
                        if first < 0:
                            gap += len(chunk)
                        else:  # a piece is at most MAX_LINE: only its first line can be long
                            if gap + first > MAX_LINE:
                                raise line_too_long(newlines + 1)
                            newlines += chunk.count(b"\n")
                            gap = len(chunk) - chunk.rfind(b"\n") - 1
                        if gap > MAX_LINE:
                            raise line_too_long(newlines + 1)
                        if most_lines is not None and newlines > most_lines:
                            raise PackageRefused.at(CHANGES, 0, N_(
                                "the member has more lines than the {expected} changes the "
                                "manifest counts"), expected=most_lines)
        except _ZIP_ERRORS:
            raise PackageRefused.at(name, 0, N_("the member is damaged or truncated")) from None
        if not isinstance(expected, dict) or sha.hexdigest() != expected.get("sha256") \
                or size != expected.get("size"):
            raise PackageRefused.at(name, 0, N_(
                "the contents do not match the manifest (SHA-256 differs)"))
    return manifest
