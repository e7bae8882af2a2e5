"""Benchmark of the served pages (issue 4, item 7): median and 95th-percentile server time of the home page, a
member's page and the scores API, on PostgreSQL with the real edition loaded, through gunicorn on loopback.

Steps: create the bench database if missing (``--db``, default ``postgres://postgres@127.0.0.1:5432/dtforum_bench_web``),
migrate it, and unless edition ``--edition`` is already computed there, ingest the snapshot
(``settings.DTFORUM_DATA_DIR``) and compute the edition; then start gunicorn (production-like: DEBUG off, 2 sync
workers) on 127.0.0.1 and a free port, with the API throttle raised through ``DTFORUM_API_RATE_ANON`` so that the
bench is not answered 429; send ``--warmup`` then ``--requests`` sequential GETs per URL (bounded: each request
times out after 10 s, the whole run after ``--max-seconds``), and print median and p95 per URL against the
targets (median < 100 ms, p95 < 250 ms). Times are wall-clock per request on loopback (connection, request,
full response read), so they bound the server time from above. ``--strict`` exits 1 when a target is missed.

Usage: ``python bench/bench_web.py [--db URL] [--edition 2024] [--member EGY] [--requests 200] [--warmup 10]``
"""
from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_uncertainty import open_store

ROOT = Path(__file__).resolve().parents[1]
TARGET_MEDIAN_MS, TARGET_P95_MS = 100.0, 250.0


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` if it does not exist (connects to the ``postgres`` database).

    Parameters
    ----------
    url : str
        ``postgres://user@host:port/name``.
    """
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def load_edition(edition: str) -> None:
    """Migrate and fill an empty observation store (:func:`bench_uncertainty.open_store`), then compute
    ``edition`` unless it is already computed (with scores).

    Parameters
    ----------
    edition : str
        Edition code (``methodology/<edition>.yaml``).
    """
    started = time.perf_counter()
    open_store()
    from dtforum.observatory.models import Edition
    from dtforum.observatory.services import compute_edition

    if Edition.objects.filter(code=edition, scores__isnull=False).exists():
        print(f"edition {edition} already computed in the bench database")
        return
    compute_edition(edition)
    print(f"ingested and computed edition {edition} in {time.perf_counter() - started:.1f} s")


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (bound then released).

    Returns
    -------
    int
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, float, int]:
    """One GET on loopback (10 s timeout), English pages.

    Parameters
    ----------
    port : int
        Port of the server on 127.0.0.1.
    path : str
        URL path, e.g. ``/en/``.

    Returns
    -------
    status : int
        HTTP status.
    ms : float
        Wall-clock time of connection, request and full response read, in milliseconds.
    size : int
        Body length in bytes.

    Raises
    ------
    OSError
        Connection refused or timed out.
    """
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Accept-Language": "en"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, (time.perf_counter() - started) * 1000, len(body)


def wait_ready(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Poll the home page until gunicorn answers.

    Parameters
    ----------
    port : int
        Port of gunicorn on 127.0.0.1.
    proc : subprocess.Popen
        The gunicorn process.
    seconds : float
        How long to wait, in seconds.

    Raises
    ------
    SystemExit
        gunicorn exited, or did not answer within ``seconds``.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {proc.returncode} before answering")
        try:
            get(port, "/en/")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on 127.0.0.1:{port} within {seconds:.0f} s")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark with the command-line options of the module docstring and print the results.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit code: 1 with ``--strict`` when a target is missed, else 0.

    Raises
    ------
    SystemExit
        A non-PostgreSQL ``--db``, ``--requests`` outside 1-5000, a page not answering 200, gunicorn not
        starting, or the run exceeding ``--max-seconds``.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL",
                                                        "postgres://postgres@127.0.0.1:5432/dtforum_bench_web"))
    parser.add_argument("--edition", default="2024")
    parser.add_argument("--member", default="EGY")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args(argv)
    if not args.db.startswith("postgres"):
        raise SystemExit(f"--db must be a PostgreSQL URL (the bench runs on PostgreSQL), got {args.db!r}")
    if not 1 <= args.requests <= 5000:
        raise SystemExit("--requests must be between 1 and 5000")

    os.environ["DATABASE_URL"] = args.db
    sys.path.insert(0, str(ROOT))
    ensure_database(args.db)
    load_edition(args.edition)

    port = free_port()
    env = dict(os.environ, DATABASE_URL=args.db, DJANGO_DEBUG="false",
               DTFORUM_API_RATE_ANON="1000000/minute", DTFORUM_API_RATE_USER="1000000/minute")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "dtforum.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
                             str(args.workers), "--log-level", "warning"], cwd=ROOT, env=env)
    urls = {"home page": "/en/", f"country page ({args.member})": f"/en/countries/{args.member}/",
            "scores API": f"/api/v1/editions/{args.edition}/scores/"}
    failed = False
    deadline = time.monotonic() + args.max_seconds
    try:
        wait_ready(port, proc)
        print(f"gunicorn on 127.0.0.1:{port}, {args.workers} workers; {args.requests} requests per URL after "
              f"{args.warmup} warm-up requests")
        print(f"{'URL':<28} {'median ms':>10} {'p95 ms':>10} {'max ms':>10} {'KiB':>8}  target")
        for label, path in urls.items():
            for _ in range(args.warmup):
                get(port, path)
            times, size = [], 0
            for _ in range(args.requests):
                if time.monotonic() > deadline:
                    raise SystemExit(f"stopped: the run took longer than --max-seconds={args.max_seconds}")
                status, ms, size = get(port, path)
                if status != 200:
                    raise SystemExit(f"{path}: HTTP {status} (expected 200)")
                times.append(ms)
            median, p95 = statistics.median(times), float(np.percentile(times, 95))  # linear, R type 7
            ok = median < TARGET_MEDIAN_MS and p95 < TARGET_P95_MS
            failed |= not ok
            print(f"{label:<28} {median:>10.1f} {p95:>10.1f} {max(times):>10.1f} {size / 1024:>8.1f}  "
                  f"{'ok' if ok else 'MISSED'} (median < {TARGET_MEDIAN_MS:.0f}, p95 < {TARGET_P95_MS:.0f})")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
