"""The central store at national scale, on a throwaway PostgreSQL cluster: 100 desks of
10,000 candidates each merged into it, then at 1,000,000 candidates candidate search
(Georgian, Latin, personal-number prefix; raw psycopg on the same index as the floor),
keyset paging, programme matching, a scoped export to one desk, `migdesk check` and a
second round of 100 incremental packages of 100 changes each.

    python benchmarks/bench_central.py            # 100 desks × 10,000
    MIGDESK_BENCH_DESKS=4 MIGDESK_BENCH_PER_DESK=1000 python benchmarks/bench_central.py

The desks' packages are real: each desk is its own database with its own id and keys, its
candidates written the way the demo writes them (store/journal.py bulk_create), exported and
signed by it, sealed to the central store's key. Building them takes long, so they are kept
in a cache directory (MIGDESK_BENCH_CACHE, default /tmp/migdesk-central-DxN) and reused; the
central store's identity (its id and keys) is kept there too, so the packages still open.
Delete the directory to build them again. Synthetic people only.

Other settings: MIGDESK_BENCH_PG (a PostgreSQL URL instead of a throwaway cluster),
MIGDESK_BENCH_QUERIES (search queries per kind, default 200), MIGDESK_BENCH_KEEP=1 (leave
the throwaway cluster running at the end, to look at it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BENCH_PASSWORD, machine, signed_in, summary, timed  # noqa: E402

DESKS = int(os.environ.get("MIGDESK_BENCH_DESKS", "100"))
PER_DESK = int(os.environ.get("MIGDESK_BENCH_PER_DESK", "10000"))
QUERIES = int(os.environ.get("MIGDESK_BENCH_QUERIES", "200"))
CACHE = Path(os.environ.get("MIGDESK_BENCH_CACHE", f"/tmp/migdesk-central-{DESKS}x{PER_DESK}"))
EDITS = 100  # changes in each desk's second package
# The measurements to make (all by default); e.g. MIGDESK_BENCH_ONLY=search,paging with
# MIGDESK_BENCH_PG naming a store an earlier run merged and left running (MIGDESK_BENCH_KEEP).
STEPS = set((os.environ.get("MIGDESK_BENCH_ONLY")
             or "merge,search,paging,match,export,check,round2").split(","))
TODAY = dt.date(2026, 11, 24)

FIRST = [("ნინო", "NINO"), ("გიორგი", "GIORGI"), ("ანა", "ANA"), ("დავით", "DAVIT"),
         ("მარიამ", "MARIAM"), ("ლევან", "LEVAN"), ("თამარ", "TAMAR"), ("ირაკლი", "IRAKLI"),
         ("ეკა", "EKA"), ("ზურაბ", "ZURAB"), ("ქეთევან", "KETEVAN"), ("ნიკოლოზ", "NIKOLOZ"),
         ("სალომე", "SALOME"), ("ლაშა", "LASHA"), ("ხატია", "KHATIA"), ("შოთა", "SHOTA"),
         ("ცირა", "TSIRA"), ("ვახტანგ", "VAKHTANG"), ("ჟანა", "ZHANA"), ("ბექა", "BEKA")]
ROOTS = [("ბერ", "BER"), ("კაპან", "KAPAN"), ("გელა", "GELA"), ("ჯავახ", "JAVAKH"),
         ("ლომ", "LOM"), ("ხარ", "KHAR"), ("წერეთ", "TSERET"), ("ჩხე", "CHKHE"),
         ("მაჭავ", "MACHAV"), ("ნოზ", "NOZ"), ("ქავთ", "KAVT"), ("დოლ", "DOL"),
         ("ფხაკ", "PKHAK"), ("თოდ", "TOD"), ("სურ", "SUR"), ("ღამბ", "GHAMB"),
         ("მამედ", "MAMED"), ("შენგელ", "SHENGEL"), ("ცინცაძ", "TSINTSADZ"), ("აბაშ", "ABASH")]
ENDS = [("იძე", "IDZE"), ("აძე", "ADZE"), ("იშვილი", "ISHVILI"), ("ია", "IA"),
        ("ავა", "AVA"), ("ური", "URI"), ("ელი", "ELI"), ("ოვი", "OVI")]
PL_CODES = ["7212", "8332", "7115", "7411", "5120", "9211", "7126", "8322"]
REGIONS = ["GE-TB", "GE-IM", "GE-KA", "GE-AJ", "GE-SZ", "GE-KK", "GE-SJ", "GE-GU"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def show(row: tuple[str, str, str, str]) -> None:
    """A row as soon as it is measured (the table is printed again at the end)."""
    log(" | ".join(row))


def log(msg: str) -> None:
    print(f"# {time.strftime('%H:%M:%S')} {msg}", file=sys.stderr, flush=True)


# -- the desks' packages (built once, kept in CACHE) ----------------------------------------
def fill(app: Any, n: int, desk_no: int) -> None:
    """n distinct synthetic candidates (4 records each: the candidate, an occupation, a
    language, the registration) written as the demo writes them, with their journal rows."""
    from migdesk.domain.statuses import CandidateStatus
    from migdesk.domain.vocab import CEFR, Sex
    from migdesk.store.journal import bulk_create
    from migdesk.store.people import (
        Candidate,
        CandidateLanguage,
        CandidateOccupation,
        StatusChange,
    )

    rnd = random.Random(desk_no)
    now = dt.datetime.now(dt.UTC)
    for start in range(0, n, 5000):
        cands, occs, langs, hist = [], [], [], []
        for i in range(start, min(n, start + 5000)):
            f = rnd.choice(FIRST)
            root, end = rnd.choice(ROOTS), rnd.choice(ENDS)
            cid = f"{desk_no:08x}-0000-4000-8000-{i:012x}"
            cands.append(dict(
                id=cid, personal_number=f"{desk_no:02d}{i:09d}"[-11:],
                first_name_ka=f[0], last_name_ka=root[0] + end[0], first_name_lat=f[1],
                last_name_lat=root[1] + end[1],
                birth_date=dt.date(1970 + rnd.randrange(36), 1 + rnd.randrange(12),
                                   1 + rnd.randrange(28)),
                sex=rnd.choice([Sex.F, Sex.M]), region=rnd.choice(REGIONS),
                passport_number=f"{desk_no:02d}{i:07d}"[-9:] if i % 3 else None,
                passport_expiry=dt.date(2027 + i % 8, 1 + i % 12, 1) if i % 3 else None,
                status=CandidateStatus.REGISTERED, registered_on=TODAY))
            occs.append(dict(candidate_id=cid, isco_code=rnd.choice(PL_CODES),
                             years=rnd.randrange(12)))
            langs.append(dict(candidate_id=cid, language=rnd.choice(["pl", "en", "de"]),
                              level=rnd.choice(list(CEFR))))
            hist.append(dict(candidate_id=cid, from_status=None,
                             to_status=CandidateStatus.REGISTERED, changed_at=now,
                             officer="bench", reason="registration"))
        with app.unit_of_work("bench") as s:
            bulk_create(s, Candidate, cands)
            bulk_create(s, CandidateOccupation, occs)
            bulk_create(s, CandidateLanguage, langs)
            bulk_create(s, StatusChange, hist)


def edit(app: Any, k: int, desk_no: int) -> None:
    """k candidates' phone numbers changed through the ORM (k journal rows)."""
    from sqlalchemy import select

    from migdesk.store.people import Candidate

    rnd = random.Random(1000 + desk_no)
    with app.unit_of_work("bench edits") as s:
        ids = s.scalars(select(Candidate.id).order_by(Candidate.id)).all()
        for cid in rnd.sample(list(ids), min(k, len(ids))):
            c = s.get(Candidate, cid)
            c.phone = f"5{rnd.randrange(10**7, 10**8)}"


def central_identity() -> dict[str, str]:
    """The central store's id, keys (in CACHE/home) and card, made once."""
    from migdesk.store.types import new_id
    from migdesk.sync import keys as keymod

    meta = CACHE / "central.json"
    if meta.exists():
        return json.loads(meta.read_text())
    desk_id = new_id()
    k = keymod.ensure_keys(desk_id)
    card = keymod.KeyCard(desk_id, "Central", "central", k.sign_public, k.enc_public)
    (CACHE / "central.card").write_text(card.to_json())
    ident = {"desk_id": desk_id, "name": "Central"}
    meta.write_text(json.dumps(ident))
    return ident


def build_desk(d: int, central_id: str) -> None:
    """Desk d: its own database, id and keys; its candidates; its two packages."""
    from migdesk.services import Migdesk

    full, inc = CACHE / f"d{d:03d}.mdp", CACHE / f"d{d:03d}-inc.mdp"
    if full.exists() and inc.exists() and (CACHE / f"d{d:03d}.card").exists():
        return
    db = CACHE / f"d{d:03d}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    app = signed_in(Migdesk.open(str(db), today=lambda: TODAY))
    app.ensure_desk(f"Desk {d:03d}")
    app.sync.keys()
    app.sync.trust(CACHE / "central.card")
    (CACHE / f"d{d:03d}.card").write_text(app.sync.card().to_json())
    fill(app, PER_DESK, d)
    app.sync.export(CACHE / "tmp.mdp", to=central_id)
    (CACHE / "tmp.mdp").replace(full)
    edit(app, EDITS, d)
    app.sync.export(CACHE / "tmp.mdp", to=central_id)
    (CACHE / "tmp.mdp").replace(inc)
    app.close()
    for suffix in ("", "-wal", "-shm"):  # the packages are all that is kept
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def build_packages() -> dict[str, str]:
    CACHE.mkdir(parents=True, exist_ok=True)
    os.environ["MIGDESK_HOME"] = str(CACHE / "home")
    ident = central_identity()
    t = time.perf_counter()
    for d in range(DESKS):
        if not (CACHE / f"d{d:03d}-inc.mdp").exists():
            build_desk(d, ident["desk_id"])
            log(f"desk {d + 1}/{DESKS} packaged ({time.perf_counter() - t:.0f} s)")
    return ident


# -- the central store ------------------------------------------------------------------
def open_central(url: str, ident: dict[str, str]) -> Any:
    """A new central store on `url` with the cached identity, trusting every desk."""
    from migdesk.services import Migdesk
    from migdesk.store.local import DeskIdentity
    from migdesk.store.types import utcnow

    app = Migdesk.open(url, today=lambda: TODAY)
    with app.unit_of_work("desk created", anonymous=True, _making_desk=True) as s:
        s.add(DeskIdentity(id=ident["desk_id"], name=ident["name"], created_at=utcnow()))
    app = signed_in(app)
    app.ensure_desk()
    app.sync.set_role("central")
    for d in range(DESKS):
        app.sync.trust(CACHE / f"d{d:03d}.card", scope="all")
    return app


def _proc_cpu(pid: int) -> tuple[float, float]:
    """(own, reaped children's) CPU seconds of a process."""
    f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(f[11]) + int(f[12])) / tick, (int(f[13]) + int(f[14])) / tick


def server_cpu(cluster: Any) -> float:
    """CPU seconds the PostgreSQL server's processes have used so far (the postmaster, its
    live backends and those that have ended); 0 without a cluster of our own."""
    if cluster is None:
        return 0.0
    try:
        master = int((cluster.data / "postmaster.pid").read_text().split()[0])
        own, reaped = _proc_cpu(master)
        total = own + reaped
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    stat = (d / "stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                        a, b = _proc_cpu(int(d.name))
                        total += a + b
                except (OSError, ValueError, IndexError):
                    continue
        return total
    except (OSError, ValueError):
        return 0.0


def merge_all(url: str, pattern: str, out: Any) -> None:
    """In a process of its own (so its peak memory is the merge's own): every package."""
    os.environ["MIGDESK_HOME"] = str(CACHE / "home")
    from migdesk.services import Migdesk

    app = signed_in(Migdesk.open(url, today=lambda: TODAY))
    t = time.perf_counter()
    applied = 0
    for d in range(DESKS):
        r = app.sync.import_package(CACHE / pattern.format(d=d))
        applied += r.stats.applied
        if pattern == "d{d:03d}.mdp" and (d + 1) % 10 == 0:
            print(f"# {time.strftime('%H:%M:%S')} {d + 1} packages merged "
                  f"({time.perf_counter() - t:.0f} s)", file=sys.stderr, flush=True)
    took = time.perf_counter() - t
    mine = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the line checks (sync/verify.py)
    cpu = mine.ru_utime + mine.ru_stime + kids.ru_utime + kids.ru_stime
    out.put((took, peak_mb(), applied, cpu))
    app.close()


def in_child(url: str, pattern: str) -> tuple[float, float, int, float]:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    proc = ctx.Process(target=merge_all, args=(url, pattern, q))
    proc.start()
    result = q.get()
    proc.join()
    if proc.exitcode:
        raise RuntimeError(f"the merge process ended with {proc.exitcode}")
    return result


RAW_SEARCH = """
SELECT t.term, c.id, c.personal_number, c.first_name_ka, c.last_name_ka, c.first_name_lat,
       c.last_name_lat, c.birth_date, c.sex, c.region, c.status, c.passport_expiry
FROM candidate_term t JOIN candidate c ON c.id = t.candidate_id
WHERE t.term >= %s AND t.term < %s AND NOT c.deleted
ORDER BY t.term, t.candidate_id LIMIT 51
"""


def raw_connection(url: str) -> Any:
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return psycopg.connect(host=u.query.get("host") or u.host, user=u.username,
                           dbname=u.database, port=u.port, autocommit=True)


def prefixes(con: Any, rng: random.Random, n: int) -> dict[str, list[str]]:
    rows = con.execute("SELECT last_name_ka, first_name_lat, personal_number FROM candidate "
                       "TABLESAMPLE SYSTEM (1) LIMIT %s", (n,)).fetchall()
    rows = rows or con.execute("SELECT last_name_ka, first_name_lat, personal_number "
                               "FROM candidate LIMIT %s", (n,)).fetchall()
    return {
        "Georgian": [r[0][: rng.randint(2, 4)] for r in rows],
        "Latin": [r[1][: rng.randint(2, 4)].lower() for r in rows],
        "personal number": [r[2][: rng.randint(3, 7)] for r in rows],
    }


def add_programme(app: Any) -> str:
    from migdesk.domain.errors import MigdeskError
    from migdesk.services.programs import DemandInput

    try:
        return app.programs.get("PL-NAT").code  # made by an earlier run on this store
    except MigdeskError:
        pass
    app.partners.add("PL", "in_force")
    app.programs.add("PL-NAT", "ეროვნული პროგრამა პოლონეთში", "National programme in Poland",
                     "pilot", "PL", status="active", start_date="2027-03-01")
    for code, lang, level, years, lo, hi in (("7212", "pl", "a2", 2, 21, 50),
                                             ("8332", "pl", "a2", 3, 23, 55),
                                             ("7115", "pl", "a1", 2, 20, 50),
                                             ("9211", None, None, 0, 18, 55)):
        app.programs.add_demand("PL-NAT", DemandInput(
            isco_code=code, quota=50, language=lang, level=level, min_experience_years=years,
            min_age=lo, max_age=hi))
    return "PL-NAT"


def check_in_process(url: str) -> tuple[float, str]:
    env = dict(os.environ, MIGDESK_HOME=str(CACHE / "home"),
               PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "migdesk", "--db", url, "check"], env=env,
                       capture_output=True, text=True)
    took = time.perf_counter() - t
    return took, (p.stdout + p.stderr).strip().splitlines()[-1] if p.returncode == 0 \
        else f"exit {p.returncode}: {(p.stdout + p.stderr)[-300:]}"


def tune(cluster: Any) -> None:
    """Memory for a server that holds a million candidates (the test cluster's defaults are
    PostgreSQL's: 128 MB of shared buffers). Durability stays as tests/sync/pg.py sets it
    (fsync off: a throwaway cluster)."""
    import psycopg

    with psycopg.connect(host=str(cluster.dir), user="postgres", dbname="postgres",
                         autocommit=True) as con:
        for setting in ("shared_buffers = '1GB'", "work_mem = '32MB'",
                        "maintenance_work_mem = '256MB'", "max_wal_size = '4GB'"):
            con.execute(f"ALTER SYSTEM SET {setting}")
    cluster._run("pg_ctl", "-D", str(cluster.data), "-l", str(cluster.dir / "log"), "-w",
                 "-m", "fast", "restart", "-o",
                 f"-k {cluster.dir} -c listen_addresses='' -F -c fsync=off")


def georgian_database(cluster: Any) -> str:
    """A database whose own collation is Georgian (ICU), as a national server would be made,
    so the plans are those such a server makes (the test cluster itself is in "C")."""
    import psycopg

    with psycopg.connect(host=str(cluster.dir), user="postgres", dbname="postgres",
                         autocommit=True) as con:
        try:
            con.execute("CREATE DATABASE central LOCALE_PROVIDER icu ICU_LOCALE 'ka-GE' "
                        "LOCALE 'C.UTF-8' TEMPLATE template0")
        except psycopg.Error as exc:
            log(f"no ICU Georgian collation here ({exc}); the cluster's own is used")
            return str(cluster.new_database())
    return str(cluster.url("central"))


def explain(con: Any, sql: str, params: tuple | None) -> str:
    rows = con.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params).fetchall()
    return "\n".join(r[0] for r in rows)


def main() -> int:
    from migdesk.domain.names import search_key

    rows: list[tuple[str, str, str, str]] = []

    def add(row: tuple[str, str, str, str]) -> None:
        rows.append(row)
        show(row)

    total = DESKS * PER_DESK
    t = time.perf_counter()
    ident = build_packages()
    log(f"packages ready ({time.perf_counter() - t:.0f} s)")
    cluster = None
    url = os.environ.get("MIGDESK_BENCH_PG")
    tmp = Path(tempfile.mkdtemp(prefix="migdesk-central-"))
    try:
        if url is None:
            from tests.sync.pg import Cluster, available

            why = available()
            if why:
                print(f"skipped: {why}")
                return 0
            cluster = Cluster()
            cluster.start()
            tune(cluster)
            url = georgian_database(cluster)
        if "merge" in STEPS:
            app = open_central(url, ident)
            app.close()
            size = sum((CACHE / f"d{d:03d}.mdp").stat().st_size for d in range(DESKS)) / 1e6
            before = server_cpu(cluster)
            secs, peak, applied, cpu = in_child(url, "d{d:03d}.mdp")
            spent = server_cpu(cluster) - before
            add((f"merge {DESKS} desks × {PER_DESK:,} candidates ({applied:,} changes, "
                 f"{size:.0f} MB of packages) into PostgreSQL", f"{secs:.0f} s",
                 f"peak RSS of the merging process {peak:.0f} MB; CPU: importer {cpu:.0f} "
                 f"s, server {spent:.0f} s", "≤ 5 min"))
            log("merged")
        app = signed_in(__import__("migdesk.services", fromlist=["Migdesk"]).Migdesk.open(
            url, today=lambda: TODAY))
        con = raw_connection(url)
        con.execute("ANALYZE")
        assert app.candidates.count() == total, app.candidates.count()
        if "search" in STEPS:
            rng = random.Random(1)
            plans = []
            for kind, words in prefixes(con, rng, QUERIES).items():
                for w in words[:20]:  # warm both paths
                    app.candidates.search(w, limit=50)
                    key = search_key(w)
                    con.execute(RAW_SEARCH, (key, key + "\U0010ffff")).fetchall()
                ours = [timed(lambda w=w: app.candidates.search(w, limit=50)) for w in words]
                raw = [timed(lambda w=w: con.execute(
                    RAW_SEARCH, (search_key(w), search_key(w) + "\U0010ffff")).fetchall())
                    for w in words]
                (o50, o95), (r50, r95) = summary(ours), summary(raw)
                add((f"search, {kind} prefix (page of 50)", f"{o50:.1f} ms ({o95:.1f})",
                     f"raw psycopg {r50:.1f} ms ({r95:.1f}); p95 ×{o95 / r95:.1f}",
                     "p95 ≤ 50 ms"))
                w = search_key(words[0])
                plans.append((f"{kind} prefix {w!r}, raw", explain(con, RAW_SEARCH,
                                                                   (w, w + "\U0010ffff"))))
            # the statement the service itself sends, as PostgreSQL plans it
            plans.append(("service statement", explain_service(app, con, search_key(words[0]))))

        if "paging" in STEPS:
            # keyset paging: consecutive pages of a search and of the whole list
            for label, query in (("search “ბ”", "ბ"), ("whole list by Georgian name", "")):
                cursor, pages = None, []
                for _ in range(100):
                    page: list[Any] = []
                    pages.append(timed(lambda c=cursor, p=page, q=query: p.append(
                        app.candidates.search(q, limit=100, cursor=c))))
                    cursor = page[0].next_cursor
                raw_page = [timed(lambda: con.execute(
                    "SELECT id, last_name_ka, first_name_ka FROM candidate WHERE NOT deleted AND "
                    "(last_name_ka, first_name_ka, id) > (%s, %s, %s) ORDER BY last_name_ka, "
                    "first_name_ka, id LIMIT 101", ("ბ", "", "")).fetchall()) for _ in range(100)]
                (p50, p95), (f50, f95) = summary(pages), summary(raw_page)
                add((f"keyset paging, {label}: page of 100 (100 consecutive pages)",
                     f"{p50:.1f} ms ({p95:.1f})",
                     f"raw psycopg keyset page {f50:.1f} ms ({f95:.1f})", "—"))
        if "match" in STEPS:
            prog = add_programme(app)
            app.matching.match(prog, limit=100)
            match = [timed(lambda: app.matching.match(prog, limit=100)) for _ in range(5)]
            raw_match = [timed(lambda: con.execute(RAW_MATCH).fetchall()) for _ in range(5)]
            (m50, m95), (f50, f95) = summary(match), summary(raw_match)
            add((f"programme matching, 4 demands, top 100 of {total:,}",
                 f"{m50:.0f} ms ({m95:.0f})",
                 f"raw psycopg: the eligible candidates of one demand {f50:.0f} ms",
                 "≤ 1 s"))
        if "export" in STEPS:
            first = app.sync.peers()[0]
            app.sync.set_scope(first.desk_id, "own")
            out: list[Any] = []
            took = timed(lambda: out.append(app.sync.export(tmp / "scoped.mdp", full=True,
                                                            to=first.desk_id)))
            journal = con.execute("SELECT count(*) FROM change_log").fetchone()[0]
            raw_scan = timed(lambda: con.execute(
                "SELECT count(*) FROM change_log WHERE desk_id <> %s", (first.desk_id,)).fetchone())
            add((f"scoped export to one desk (scope own; {journal:,} journal rows, "
                 f"{out[0].changes:,} sent)", f"{took / 1000:.1f} s",
                 f"raw psycopg scan of the journal {raw_scan / 1000:.1f} s", "≤ 10 s"))
        app.close()
        if "check" in STEPS:
            secs_check, verdict = check_in_process(url)
            add(("`migdesk check` (whole process)", f"{secs_check:.1f} s", verdict,
                 "≤ 60 s"))
        if "round2" in STEPS:
            before = server_cpu(cluster)
            secs, peak, applied, cpu = in_child(url, "d{d:03d}-inc.mdp")
            spent = server_cpu(cluster) - before
            add((f"second round: {DESKS} incremental packages of {EDITS} changes "
                 f"({applied:,} applied)", f"{secs:.1f} s in all",
                 f"{secs / DESKS * 1000:.0f} ms a package; CPU: importer {cpu:.1f} s, "
                 f"server {spent:.1f} s; peak RSS {peak:.0f} MB", "≤ 30 s in all"))
        con.close()
    finally:
        print(f"\n### Central store on PostgreSQL: {DESKS} desks × {PER_DESK:,} candidates\n")
        print(f"Machine: {machine()}; shared with other work (load average "
              f"{os.getloadavg()[0]:.1f})\n")
        print("| measurement | median (p95) | floor, ratio | target |")
        print("|---|---|---|---|")
        for r in rows:
            print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} |")
        for label, plan in locals().get("plans", []):
            print(f"\nEXPLAIN ANALYZE, {label}:\n```\n{plan}\n```")
        if cluster is not None and os.environ.get("MIGDESK_BENCH_KEEP"):
            print(f"\nThe cluster is left running: {url} (stop it with pg_ctl -D "
                  f"{cluster.data} stop)")
        elif cluster is not None:
            cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


RAW_MATCH = """
SELECT c.id, c.status, c.passport_expiry, c.birth_date, o.years, l.level
FROM candidate_occupation o JOIN candidate c ON c.id = o.candidate_id
JOIN candidate_language l ON l.candidate_id = c.id AND l.language = 'pl' AND NOT l.deleted
WHERE o.isco_code = '7212' AND o.years >= 2 AND NOT o.deleted AND NOT c.deleted
  AND c.status IN ('registered', 'screened') AND c.passport_expiry >= DATE '2027-06-01'
"""


def explain_service(app: Any, con: Any, word: str) -> str:
    """The service's own search statement, compiled for PostgreSQL, explained."""
    from sqlalchemy.dialects import postgresql

    svc = app.candidates
    with app.reading() as s:
        stmt = svc._term_statement(s, [word], [], None, 50)
        sql = str(stmt.compile(dialect=postgresql.dialect(),
                               compile_kwargs={"literal_binds": True}))
    return explain(con, sql.replace("%%", "%"), None)


_ = BENCH_PASSWORD

if __name__ == "__main__":
    raise SystemExit(main())
