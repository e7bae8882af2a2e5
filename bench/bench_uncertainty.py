"""Benchmark: vectorised uncertainty analysis vs re-running the pipeline once per replication.

By default on the REAL edition (``methodology/2024.yaml``, the 57 OIC members, every indicator of the framework,
group-mean imputation by income group as in ``dtforum.observatory.services.compute_edition``), read from the
observation store of the database given by ``DATABASE_URL`` (default SQLite ``var/dtforum.sqlite3``). The database
is migrated and an empty observation store is filled from the snapshot
(``ingest_snapshot(settings.DTFORUM_DATA_DIR)``) first. Five uncertain inputs: weight noise +-25 %, normalisation
min-max [1, 100] or rank, arithmetic or geometric aggregation, imputation (the framework's group mean, mean or
median), outlier treatment on/off.

``--synthetic``: a synthetic edition shaped like the real one: 57 units (the OIC members), 5 areas x 5 indicators, lognormal
(right-skewed) values with a few outliers and ~5 % missing cells; five uncertain inputs (weight noise +-25 %,
normalisation min-max [1, 100] or rank, arithmetic or geometric aggregation, no/mean/median imputation, outlier
treatment on/off). Prints the time of 10,000 replications with the vectorised engine, the time of the naive loop
(as many replications as fit in ``--seconds``, scaled to 10,000), their ratio, the peak memory of the vectorised
run (tracemalloc) and whether both give the same ranks and rank intervals on the replications run by both.

Usage: ``python bench/bench_uncertainty.py [--synthetic] [--edition 2024] [--reps 10000] [--seconds 60]
[--seed 2024]``
"""
from __future__ import annotations

import argparse
import copy
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from compindex import Framework
from compindex.uncertainty import run_uncertainty, run_uncertainty_naive

SPEC = {"weights": 0.25,
        "normalisation": [{"method": "minmax", "low": 1, "high": 100}, "rank"],
        "aggregation": ["arithmetic", "geometric"],
        "imputation": ["none", "mean", "median"],
        "treatment": [True, False]}


def synthetic_edition(n_units: int = 57, n_areas: int = 5, per_area: int = 5,
                      seed: int = 1) -> tuple[pd.DataFrame, Framework]:
    """Panel and framework of a synthetic edition shaped like the real one (module docstring).

    Parameters
    ----------
    n_units : int
        Units (``M00``, ``M01``...).
    n_areas, per_area : int
        Areas, and indicators per area (the last of each area has direction -1).
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    panel : DataFrame, shape (n_units * n_areas * per_area, 4)
        Long panel ``unit, indicator, year, value`` of 2024: lognormal(3, 0.7) values, 4 cells times 15
        (outliers), about 5 % NaN.
    fw : Framework
        Min-max to [1, 100], equal weights, window 0.
    """
    rng = np.random.default_rng(seed)
    n_ind = n_areas * per_area
    values = rng.lognormal(3.0, 0.7, (n_units, n_ind))
    values[rng.integers(0, n_units, 4), rng.integers(0, n_ind, 4)] *= 15  # a few outliers
    values[rng.random(values.shape) < 0.05] = np.nan
    units = [f"M{u:02d}" for u in range(n_units)]
    codes = [f"IND{j:02d}" for j in range(n_ind)]
    panel = pd.DataFrame([(u, c, 2024, values[i, j]) for i, u in enumerate(units) for j, c in enumerate(codes)],
                         columns=["unit", "indicator", "year", "value"])
    fw = Framework.from_dict({
        "reference_year": 2024, "window": 0,
        "stages": {"normalisation": {"low": 1, "high": 100}},
        "areas": [{"code": f"area{a}", "indicators": [
            {"code": codes[a * per_area + k], "direction": -1 if k == 4 else 1} for k in range(per_area)]}
            for a in range(n_areas)]})
    return panel, fw


def open_store() -> None:
    """Set Django up on ``DATABASE_URL``, apply the migrations and, if the observation store is empty, ingest the
    snapshot (``ingest_snapshot(settings.DTFORUM_DATA_DIR)``)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dtforum.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from dtforum.observatory.ingest.store import ingest_snapshot
    from dtforum.observatory.models import Observation

    call_command("migrate", verbosity=0, interactive=False)
    if not Observation.objects.exists():
        print(f"observation store empty: ingesting {settings.DTFORUM_DATA_DIR} ...", flush=True)
        ingest_snapshot(Path(settings.DTFORUM_DATA_DIR))


def real_edition(edition: str = "2024") -> tuple[pd.DataFrame, Framework, pd.DataFrame]:
    """Members' panel, framework and groups of a real edition, read from the observation store (via Django).

    Parameters
    ----------
    edition : str
        Edition code (``methodology/<edition>.yaml``).

    Returns
    -------
    panel : DataFrame
        Long panel ``unit, indicator, year, value`` of the 57 members (denominators included).
    fw : Framework
    groups : DataFrame
        Indexed by ISO3, ``income_group`` and ``oic_group`` of the members (for group imputation).
    """
    open_store()
    from dtforum.members.selectors import economy_groups
    from dtforum.observatory.services import load_framework, select_panel

    _, fw = load_framework(edition)
    panel = select_panel(fw)
    groups = economy_groups()
    groups = groups[groups["kind"] == "member"][["income_group", "oic_group"]]
    members = list(groups.index)
    panel = panel[panel["unit"].isin(members)].drop(columns="kind")
    return panel, fw, groups


def main() -> None:
    """Run the benchmark with the command-line options of the module docstring and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", action="store_true", help="synthetic 57 x 25 edition, no database")
    parser.add_argument("--edition", default="2024", help="real edition (methodology/<edition>.yaml)")
    parser.add_argument("--reps", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60.0, help="time budget of the naive loop")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    spec = copy.deepcopy(SPEC)
    if args.synthetic:
        panel, fw = synthetic_edition()
        groups = None
        print(f"synthetic edition: 57 units x 25 indicators in 5 areas; inputs: {', '.join(spec)}")
    else:
        panel, fw, groups = real_edition(args.edition)
        # The framework's own imputation is one of the alternatives.
        spec["imputation"] = [{}, "mean", "median"]
        print(f"real edition {args.edition}: {panel['unit'].nunique()} members x {len(fw.indicator_codes)} "
              f"indicators in {len(fw.areas)} areas ({len(panel)} observations); inputs: {', '.join(spec)}")
    kw = {"groups": groups}

    run_uncertainty(panel, fw, spec, n_rep=10, seed=0, **kw)  # warm-up (imports, caches)
    t0 = time.perf_counter()
    fast = run_uncertainty(panel, fw, spec, n_rep=args.reps, seed=args.seed, **kw)
    t_fast = time.perf_counter() - t0
    # Memory is measured on a second, traced run: tracemalloc slows numpy's allocations down.
    tracemalloc.start()
    run_uncertainty(panel, fw, spec, n_rep=args.reps, seed=args.seed, **kw)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    kept = len(fast.spec.indicators)
    print(f"indicators kept by coverage screening: {kept}; levels ranked: {len(fast.levels)}")

    # Naive: time one small batch to size the run to the budget, then run it.
    t0 = time.perf_counter()
    run_uncertainty_naive(panel, fw, spec, n_rep=args.reps, seed=args.seed, replications=slice(0, 5), **kw)
    per_rep = (time.perf_counter() - t0) / 5
    n_naive = max(5, min(args.reps, int(args.seconds / per_rep)))
    t0 = time.perf_counter()
    slow = run_uncertainty_naive(panel, fw, spec, n_rep=args.reps, seed=args.seed,
                                 replications=slice(0, n_naive), **kw)
    t_naive = time.perf_counter() - t0
    t_naive_scaled = t_naive / n_naive * args.reps

    same_ranks = np.array_equal(fast.ranks[:n_naive], slow.ranks, equal_nan=True)
    fast_part = copy.copy(fast)
    fast_part.ranks = fast.ranks[:n_naive]
    same_intervals = fast_part.summary().equals(slow.summary())

    print(f"vectorised: {args.reps} replications in {t_fast:.3f} s (peak memory {peak / 2**20:.1f} MiB, "
          "tracemalloc)")
    print(f"naive loop: {n_naive} replications in {t_naive:.1f} s -> {t_naive_scaled:.0f} s for {args.reps} "
          f"(scaled)")
    print(f"speed-up: {t_naive_scaled / t_fast:.0f}x")
    print(f"same ranks on the {n_naive} common replications: {same_ranks}; "
          f"same rank intervals (nominal, median, 5-95 %): {same_intervals}")
    s = fast.summary().query("level == 'index'")
    print(f"mean width of the 5-95 % index rank interval over {args.reps} replications: "
          f"{(s['rank_q95'] - s['rank_q05']).mean():.1f} ranks")
    ok = t_fast <= 2.0 and t_naive_scaled / t_fast >= 50 and same_ranks and same_intervals
    print("targets (<= 2 s, >= 50x, same intervals):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
