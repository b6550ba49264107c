"""Regenerate docs/screenshots/*.png: the real window in Georgian over a fresh demo database.

    python scripts/screenshots.py [--candidates 2000] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", type=int, default=2000)
    ap.add_argument("--out", default="docs/screenshots")
    args = ap.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from migdesk.services.app import Migdesk
    from migdesk.services.demo import load_demo
    from migdesk.ui.fonts import ensure_georgian_font
    from migdesk.ui.i18n_qt import install, switch_language
    from migdesk.ui.main_window import MainWindow
    from migdesk.ui.tasks import SyncRunner

    qapp = QApplication(sys.argv[:1])
    ensure_georgian_font(qapp)
    install()
    switch_language("ka")
    tmp = Path(tempfile.mkdtemp(prefix="migdesk-shots-"))
    app = Migdesk.open(str(tmp / "demo.db"))  # the demo signs in as its administrator
    load_demo(app, candidates=args.candidates, seed=2019)
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(app, settings=settings, runner=SyncRunner())
    w.resize(1440, 860)
    w.show()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(5):
            qapp.processEvents()

    w.show_page("overview")
    settle()
    w.grab().save(str(out / "overview.png"))
    w.show_page("candidates")
    page = w.candidates
    page.table.selectRow(3)
    page.table.resizeColumnsToContents()
    settle()
    w.grab().save(str(out / "candidates.png"))
    print(f"wrote {out / 'overview.png'} and {out / 'candidates.png'}")
    w.candidates.form.dirty = False
    w.close()
    app.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
