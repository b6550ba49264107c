"""Benchmark of Georgian documents: one dossier, a batch on 2 cores, reportlab floor, LibreOffice.

Run: python benchmarks/bench_documents.py --candidates 1000
Prints a table of medians. Uses a temporary database filled with synthetic demo data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    from reportlab.pdfgen.canvas import Canvas

    from migdesk.documents import dossier, fonts, signing
    from migdesk.services.app import Migdesk
    from migdesk.services.demo import load_demo
    from migdesk.services.dossiers import DossierService

    tmp = Path(tempfile.mkdtemp(prefix="migdesk-bench-"))
    os.environ["MIGDESK_HOME"] = str(tmp / "home")  # the desk's keys, not the user's
    today = dt.date(2026, 11, 24)
    app = Migdesk.open(str(tmp / "bench.db"), today=lambda: today)
    load_demo(app, candidates=args.candidates, seed=2019)
    svc = DossierService(app)
    fonts.register()
    ids = [c.id for c in app.candidates.search(limit=10000).items][: args.candidates]
    employed = app.candidates.search(status="employed", limit=1).items[0].id
    inp = svc.prepare(employed)
    rows: list[tuple[str, str, str]] = []

    ms = median_ms(lambda: dossier.render([inp]), args.runs)
    rows.append(("dossier PDF, render only (reportlab)", f"{ms:.1f} ms", "≤ 50 ms"))
    cert = svc.certificate()
    plain = dossier.render([inp])
    ms = median_ms(lambda: signing.sign(plain, cert), args.runs)
    rows.append(("PAdES B-B signature of a rendered dossier (pyHanko)", f"{ms:.1f} ms", "—"))
    ms = signed = median_ms(lambda: dossier.render_signed([inp], cert), args.runs)
    rows.append(("signed dossier: render + printed note + signature", f"{ms:.1f} ms",
                 "≤ 50 ms"))
    ms = single = median_ms(lambda: svc.render(employed), args.runs)
    rows.append(("signed dossier, read + render + sign + access log", f"{ms:.1f} ms",
                 "≤ 50 ms"))
    svc.save(employed, tmp / "signed.pdf")
    ms = median_ms(lambda: svc.check_file(tmp / "signed.pdf"), max(5, args.runs // 3))
    rows.append(("dossier verify FILE.pdf (signature, printed text, database)",
                 f"{ms:.1f} ms", "—"))
    pages = len(__import__("re").findall(rb"/Type /Page\b", dossier.render([inp])))

    def floor() -> None:
        c = Canvas(str(tmp / "floor.pdf"), invariant=1)
        c.setFont(fonts.REGULAR, 12)
        c.drawString(72, 760, "კანდიდატის დოსიე — გვერდი 1 / 1")
        c.showPage()
        c.save()

    floor_ms = median_ms(floor, args.runs)
    rows.append(("raw reportlab floor (1 page, same font)", f"{floor_ms:.1f} ms", "—"))

    t = time.perf_counter()
    res = svc.batch(ids, tmp / "out", workers=args.workers)
    sec = time.perf_counter() - t
    rows.append((f"batch of {res.done} dossiers, {args.workers} processes (files)",
                 f"{sec:.1f} s ({sec * 1000 / max(res.done, 1):.1f} ms each)", "≤ 30 s"))
    t = time.perf_counter()
    res = svc.batch(ids, tmp / "bound.pdf", bound=True, workers=args.workers)
    sec = time.perf_counter() - t
    rows.append((f"batch of {res.done} dossiers, one bound file", f"{sec:.1f} s", "—"))

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office:
        d = inp.detail
        doc = tmp / "dossier.html"
        doc.write_text("<html><meta charset='utf-8'><body><h1>კანდიდატის დოსიე</h1><table>" +
                       "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>"
                               for k, v in vars(d).items()) + "</table></body></html>",
                       encoding="utf-8")

        def lo() -> None:
            # a profile of its own: a shared one left by another run can make it hang
            subprocess.run([office, f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",
                            "--headless", "--convert-to", "pdf", "--outdir", str(tmp / "lo"),
                            str(doc)], check=True, capture_output=True, timeout=120)

        try:
            lo()  # the first start creates the profile; not measured
            ms = median_ms(lo, 5)
            rows.append(("libreoffice --headless --convert-to pdf (same data)",
                         f"{ms:.0f} ms", f"migdesk dossier ×{ms / single:.0f} faster"))
        except (subprocess.SubprocessError, OSError) as exc:
            rows.append(("libreoffice --headless --convert-to pdf", "failed",
                         type(exc).__name__))
    else:
        rows.append(("libreoffice --headless --convert-to pdf", "skipped",
                     "libreoffice not installed (Debian: libreoffice-writer)"))
    app.close()

    print(f"migdesk documents benchmark — {args.candidates} synthetic candidates, "
          f"{os.cpu_count()} CPUs, dossier of {pages} pages, median of {args.runs} runs")
    w = max(len(r[0]) for r in rows)
    v = max(len(r[1]) for r in rows)
    print(f"{'case':<{w}}  {'median':<{v}}  target / note")
    print(f"{'-' * w}  {'-' * v}  {'-' * 14}")
    for name, val, note in rows:
        print(f"{name:<{w}}  {val:<{v}}  {note}")
    print(f"ratio dossier / reportlab floor: {float(rows[0][1].split()[0]) / floor_ms:.1f}×")
    print(f"ratio signed dossier / reportlab floor: {signed / floor_ms:.1f}×")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
