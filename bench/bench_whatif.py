"""Benchmark: what-if on the real edition (changed values for one member, changed weights), in milliseconds.

Uses the members' panel of ``bench/bench_uncertainty.py`` (``--synthetic`` for the synthetic edition, no
database). Prints the median time of ``compindex.whatif.what_if`` over ``--repeat`` calls for (1) a 10 % rise of
every kept indicator of one member, (2) doubled weight of the first area.

Usage: ``python bench/bench_whatif.py [--synthetic] [--edition 2024] [--repeat 50]``
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_uncertainty import real_edition, synthetic_edition

from compindex import run_index
from compindex.whatif import what_if


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    """Run the benchmark with the command-line options of the module docstring and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", action="store_true")
    parser.add_argument("--edition", default="2024")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    if args.synthetic:
        (panel, fw), groups = synthetic_edition(), None
    else:
        panel, fw, groups = real_edition(args.edition)
    run = run_index(panel, fw, groups)
    after = run.tables["after_imputation"]
    unit = after.index[0]
    changes = {unit: {c: float(v) * 1.1 for c, v in after.loc[unit].dropna().items()}}
    area = fw.areas[0].code
    weights = {"areas": {area: 2 * run.weights["areas"][area]}}
    what_if(run, values=changes)  # warm-up
    t_values = _median_ms(lambda: what_if(run, values=changes), args.repeat)
    t_weights = _median_ms(lambda: what_if(run, weights=weights), args.repeat)
    print(f"{len(after)} units x {after.shape[1]} indicators in {len(fw.areas)} areas")
    print(f"what-if, {len(changes[unit])} indicator values of {unit} changed: {t_values:.1f} ms (median of "
          f"{args.repeat})")
    print(f"what-if, weight of area {area} doubled: {t_weights:.1f} ms (median of {args.repeat})")


if __name__ == "__main__":
    main()
