"""Screenshots of every page of the real window, at 1366×768 and 1920×1080, in Georgian and
English, over a fresh demo database; plus the candidate page with a record open and with a
refused save (messages beside the fields), and the overview of an empty desk.

    python scripts/screenshots.py [--candidates 2000] [--out DIR] [--readme]

Without --out the images go to a new temporary directory (printed). --readme also copies the
four images the README shows into docs/screenshots/. Runs on the display in $DISPLAY (Xvfb is
fine: `Xvfb :23 -screen 0 1920x1080x24 &`, DISPLAY=:23 QT_QPA_PLATFORM=xcb), else offscreen.
Each page whose smallest usable width is wider than the screen is reported (exit status 1).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = ((1366, 768), (1920, 1080))
LANGUAGES = ("ka", "en")
# The README's four images: (file in docs/screenshots, shot name).
README = (("overview.png", "ka-1366-overview"),
          ("candidates.png", "ka-1920-candidates-open"),
          ("candidate-record.png", "ka-1366-candidates-open"),
          ("candidate-refused-en.png", "en-1366-candidates-refused"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", type=int, default=2000)
    ap.add_argument("--out", default=None)
    ap.add_argument("--readme", action="store_true", help="copy the README's four images")
    args = ap.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from migdesk.services.app import Migdesk
    from migdesk.services.demo import load_demo
    from migdesk.ui.dialogs import UnsavedEdits
    from migdesk.ui.fonts import ensure_georgian_font
    from migdesk.ui.i18n_qt import install, switch_language
    from migdesk.ui.main_window import PAGES, MainWindow
    from migdesk.ui.tasks import SyncRunner

    UnsavedEdits.ask = classmethod(lambda cls, parent: "discard")  # type: ignore[method-assign]
    qapp = QApplication(sys.argv[:1])
    ensure_georgian_font(qapp)
    install()
    tmp = Path(tempfile.mkdtemp(prefix="migdesk-shots-"))
    out = Path(args.out) if args.out else tmp / "shots"
    out.mkdir(parents=True, exist_ok=True)
    app = Migdesk.open(str(tmp / "demo.db"))  # the demo signs in as its administrator
    load_demo(app, candidates=args.candidates, seed=2019)
    empty = Migdesk.open(str(tmp / "empty.db"))
    empty.accounts.create_first_admin("admin", "ნინო ტესტაძე", "a synthetic passphrase 2026")
    too_wide: list[str] = []

    def settle() -> None:
        for _ in range(8):
            qapp.processEvents()

    def window(a: Migdesk, name: str, w_: int, h_: int) -> MainWindow:
        settings = QSettings(str(tmp / f"{name}.ini"), QSettings.Format.IniFormat)
        w = MainWindow(a, settings=settings, runner=SyncRunner())
        w.move(0, 0)
        w.resize(w_, h_)
        w.show()
        settle()
        return w

    def shot(w: MainWindow, name: str, width: int) -> None:
        settle()
        need = w.minimumSizeHint().width()
        if need > width or w.width() > width:
            too_wide.append(f"{name}: needs {max(need, w.width())} px")
        w.grab().save(str(out / f"{name}.png"))

    for lang in LANGUAGES:
        switch_language(lang)
        for width, height in SIZES:
            tag = f"{lang}-{width}"
            w = window(app, tag, width, height)
            for key, _label, _icon in PAGES:
                w.show_page(key)
                if key == "candidates":
                    w.candidates.close_detail()
                shot(w, f"{tag}-{key}", width)
            page = w.candidates
            w.show_page("candidates")
            page.search.setText("")
            page.refresh()
            page.table.clicked.emit(page.model.index(3, 1))
            shot(w, f"{tag}-candidates-open", width)
            page.tabs.setCurrentIndex(1)
            shot(w, f"{tag}-candidates-history", width)
            page.tabs.setCurrentIndex(0)
            w.new_candidate()
            form = page.form
            form.editor("personal_number").setText("123")
            form.editor("birth_date").setText("1990-13-01")
            form.save()
            shot(w, f"{tag}-candidates-refused", width)
            form.dirty = False
            w.close()
            e = window(empty, f"{tag}-empty", width, height)
            e.show_page("overview")
            shot(e, f"{tag}-overview-empty", width)
            e.close()
    app.close()
    empty.close()
    print(f"wrote {len(list(out.glob('*.png')))} screenshots to {out}")
    if args.readme:
        docs = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        for target, name in README:
            shutil.copyfile(out / f"{name}.png", docs / target)
        print("copied " + ", ".join(t for t, _n in README) + f" to {docs}")
    for line in too_wide:
        print("wider than the screen: " + line)
    return 1 if too_wide else 0


if __name__ == "__main__":
    raise SystemExit(main())
