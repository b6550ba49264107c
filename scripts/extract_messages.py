#!/usr/bin/env python
"""List the marked messages of migdesk, check them against the Georgian catalogue, or
append the missing ones to an area's .po file for translators.

    python scripts/extract_messages.py                  # POT to stdout
    python scripts/extract_messages.py -o migdesk.pot   # POT to a file
    python scripts/extract_messages.py --check          # exit 1 if any msgid lacks Georgian
    python scripts/extract_messages.py --update core    # add missing msgids to ka/core.po
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from babel.messages.pofile import read_po  # noqa: E402

from migdesk.i18n.extract import AREAS, ROOT_DIR, extract, missing, po_entry, pot  # noqa: E402

PO_HEADER = """\
msgid ""
msgstr ""
"Project-Id-Version: migdesk\\n"
"Language: ka\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""


def check(folders: list[str] | None) -> int:
    lacking = missing(extract(folders))
    for m in lacking:
        ctx = f" [{m.context}]" if m.context else ""
        print(f"{m.where()}: {m.msgid!r}{ctx}")
    print(f"{len(lacking)} message(s) without a Georgian translation", file=sys.stderr)
    return 1 if lacking else 0


def update(area: str) -> int:
    path = ROOT_DIR / "resources" / "i18n" / "ka" / f"{area}.po"
    present: set[tuple[str | None, str]] = set()
    if path.exists():
        with path.open("rb") as fh:
            present = {(m.context, m.id) for m in read_po(fh) if m.id}
    new = [m for m in missing(extract(AREAS[area])) if m.key not in present]
    if new:
        text = path.read_text(encoding="utf-8") if path.exists() else PO_HEADER
        if not text.endswith("\n"):
            text += "\n"
        text += "".join("\n" + po_entry(m) for m in new)
        path.write_text(text, encoding="utf-8")
    print(f"{len(new)} message(s) added to {path.relative_to(ROOT_DIR)}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="list msgids without a Georgian translation; exit 1 if any")
    parser.add_argument("--update", metavar="AREA", choices=sorted(AREAS),
                        help="append the area's missing msgids to resources/i18n/ka/AREA.po")
    parser.add_argument("--area", choices=sorted(AREAS),
                        help="only the source folders of this area (default: all of migdesk/)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the POT here")
    args = parser.parse_args(argv)
    folders = list(AREAS[args.area]) if args.area else None
    if args.update:
        return update(args.update)
    if args.check:
        return check(folders)
    text = pot(extract(folders))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
