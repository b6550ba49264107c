"""Dossier batches: two worker processes, progress, cancellation, access log, bound file."""

from __future__ import annotations

import io
import threading

from pypdf import PdfReader

from migdesk import cli
from migdesk.services.demo import load_demo
from migdesk.services.dossiers import DossierService


def test_batch_directory_and_bound_file(app, tmp_path) -> None:
    load_demo(app, candidates=30, seed=11)
    svc = DossierService(app)
    ids = svc.select(program="PL-IOM-PILOT")[:25]
    assert len(ids) == 25
    seen: list[tuple[int, int]] = []
    res = svc.batch(ids, tmp_path / "out", progress=lambda d, t: seen.append((d, t)) or True)
    assert res.done == 25 and not res.cancelled and len(res.paths) == 25
    assert seen[-1] == (25, 25)
    assert all(p.read_bytes().startswith(b"%PDF") for p in res.paths)
    assert {p.stat().st_mode & 0o777 for p in res.paths} == {0o600}  # a person's data
    assert sum(1 for a in app.audit.accesses() if a.action == "export") == 25
    # the same dossier from the batch and alone: identical printed bytes, each signed
    one = svc.render(ids[0]).pdf
    assert one[:one.index(b"%%EOF")] in {p.read_bytes().split(b"%%EOF")[0] for p in res.paths}
    assert all(v.ok for p in res.paths[:3] for v in svc.verify_file(p))

    bound = tmp_path / "bound.pdf"
    res = svc.batch(ids[:4], bound, bound=True)
    assert bound.stat().st_mode & 0o777 == 0o600
    reader = PdfReader(io.BytesIO(bound.read_bytes()))
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    starts = [t for t in texts if "გვერდი 1 /" in t]
    assert len(starts) == 4  # each dossier numbered on its own
    assert len(svc.verify_file(bound)) == 4 and all(v.ok for v in svc.verify_file(bound))


def test_batch_cancel_stops_and_logs_only_what_was_written(app, tmp_path) -> None:
    load_demo(app, candidates=120, seed=12)
    svc = DossierService(app)
    ids = svc.select(status="registered")[:100]
    stop = threading.Event()

    def progress(done: int, total: int) -> bool:
        stop.set()
        return True

    res = svc.batch(ids, tmp_path / "out", progress=progress, cancel=stop)
    assert res.cancelled and 0 < res.done < len(ids)
    written = list((tmp_path / "out").glob("*.pdf"))
    assert len(written) == res.done
    assert sum(1 for a in app.audit.accesses() if a.action == "export") == res.done


def test_cli_dossiers_by_status(app, tmp_path, capsys) -> None:
    load_demo(app, candidates=10, seed=13)
    out = tmp_path / "dir"
    assert cli.main(["--db", str(app.db.url), "dossiers", "--status", "employed",
                     "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert list(out.glob("*.pdf"))
    assert "/" in captured.err  # progress on stderr
