"""Benchmark: vectorised uncertainty analysis vs re-running the pipeline once per replication.

Synthetic edition shaped like the real one: 57 units (the OIC members), 5 areas x 5 indicators, lognormal
(right-skewed) values with a few outliers and ~5 % missing cells; five uncertain inputs (weight noise +-25 %,
normalisation min-max [1, 100] or rank, arithmetic or geometric aggregation, no/mean/median imputation, outlier
treatment on/off). Prints the time of 10,000 replications with the vectorised engine, the time of the naive loop
(as many replications as fit in ``--seconds``, scaled to 10,000), their ratio, the peak memory of the vectorised
run (tracemalloc) and whether both give the same ranks and rank intervals on the replications run by both.

Usage: ``python bench/bench_uncertainty.py [--reps 10000] [--seconds 30] [--seed 2024]``
"""
from __future__ import annotations

import argparse
import copy
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


def synthetic_edition(n_units: int = 57, n_areas: int = 5, per_area: int = 5, seed: int = 1):
    """Panel and framework of a synthetic edition (long panel ``unit, indicator, year, value``)."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=30.0, help="time budget of the naive loop")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    panel, fw = synthetic_edition()
    print(f"synthetic edition: 57 units x 25 indicators in 5 areas; inputs: {', '.join(SPEC)}")

    run_uncertainty(panel, fw, SPEC, n_rep=10, seed=0)  # warm-up (imports, caches)
    t0 = time.perf_counter()
    fast = run_uncertainty(panel, fw, SPEC, n_rep=args.reps, seed=args.seed)
    t_fast = time.perf_counter() - t0
    # Memory is measured on a second, traced run: tracemalloc slows numpy's allocations down.
    tracemalloc.start()
    run_uncertainty(panel, fw, SPEC, n_rep=args.reps, seed=args.seed)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    # Naive: time one small batch to size the run to the budget, then run it.
    t0 = time.perf_counter()
    run_uncertainty_naive(panel, fw, SPEC, n_rep=args.reps, seed=args.seed, replications=slice(0, 5))
    per_rep = (time.perf_counter() - t0) / 5
    n_naive = max(5, min(args.reps, int(args.seconds / per_rep)))
    t0 = time.perf_counter()
    slow = run_uncertainty_naive(panel, fw, SPEC, n_rep=args.reps, seed=args.seed, replications=slice(0, n_naive))
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
