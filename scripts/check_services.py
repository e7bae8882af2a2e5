"""Check that PostgreSQL and Redis answer before the test suite runs; exit 1 with a clear message if not.

Usage: ``python scripts/check_services.py --postgres URL --redis URL``
"""
from __future__ import annotations

import argparse
import sys


def check_postgres(url: str) -> str | None:
    """Return ``None`` if a PostgreSQL server answers at ``url``, else the reason it does not."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"] or None,
            dbname="postgres", connect_timeout=5,
        ) as conn:
            conn.execute("select 1")
    except Exception as exc:  # noqa: BLE001 — any failure means the service is unusable
        return f"PostgreSQL at {cfg['HOST']}:{cfg['PORT'] or 5432} (user {cfg['USER']}) does not answer: {exc}"
    return None


def check_redis(url: str) -> str | None:
    """Return ``None`` if a Redis server answers PING at ``url``, else the reason it does not."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except Exception as exc:  # noqa: BLE001
        return f"Redis at {url} does not answer: {exc}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--redis", required=True)
    args = parser.parse_args()
    problems = [p for p in (check_postgres(args.postgres), check_redis(args.redis)) if p]
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    if problems:
        print("The test suite runs against real PostgreSQL and Redis; start them and run again.", file=sys.stderr)
        return 1
    print("services: PostgreSQL and Redis answer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
