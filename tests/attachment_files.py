"""Small real files for the attachment tests: a PNG, a one-page PDF, a TIFF header, and
files that only pretend (by their name) to be documents."""

from __future__ import annotations

import io
import struct
import zlib


def png(width: int = 40, height: int = 30, rgb: tuple[int, int, int] = (30, 90, 160)) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def pdf(text: str = "Synthetic consent form") -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


TIFF = b"II*\x00" + b"\x00" * 60
XLSX_AS_PDF = b"PK\x03\x04" + b"\x00" * 200  # a spreadsheet renamed passport.pdf
