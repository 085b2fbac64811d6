#!/usr/bin/env python3
"""Summarises benchmarks/ab.sh: per benchmark and parameter, the score of each side (median over rounds), the
ratio B/A taken within each round (median, min - max, rounds in which B did better) and B/op from -prof gc.

    python3 benchmarks/ab-summary.py OUTDIR
"""
import glob
import json
import os
import re
import statistics
import sys


def load(out):
    runs = {}  # (round, side) -> {(benchmark, params): (score, unit, mode, alloc)}
    for path in glob.glob(os.path.join(out, "round*-*.json")):
        m = re.search(r"round(\d+)-([AB])\.json$", path)
        if not m or os.path.getsize(path) == 0:
            continue
        results = {}
        for entry in json.load(open(path)):
            key = (entry["benchmark"].replace("dev.ringbuf.benchmarks.", ""),
                   ",".join(f"{k}={v}" for k, v in sorted(entry.get("params", {}).items())))
            alloc = entry.get("secondaryMetrics", {}).get("\u00b7gc.alloc.rate.norm",
                    entry.get("secondaryMetrics", {}).get("gc.alloc.rate.norm"))
            results[key] = (entry["primaryMetric"]["score"], entry["primaryMetric"]["scoreUnit"], entry["mode"],
                            alloc["score"] if alloc else float("nan"))
        runs[(int(m.group(1)), m.group(2))] = results
    return runs


def main(out):
    runs = load(out)
    rounds = sorted({r for r, _ in runs})
    keys = sorted({k for res in runs.values() for k in res})
    print("| benchmark | params | A, median | B, median | B / A per round: median (min - max) | B better in "
          "| B/op A | B/op B |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for key in keys:
        a, b, ratios, better, alloc_a, alloc_b, unit = [], [], [], 0, [], [], ""
        for r in rounds:
            ra, rb = runs.get((r, "A"), {}).get(key), runs.get((r, "B"), {}).get(key)
            if not ra or not rb:
                continue
            unit, mode = ra[1], ra[2]
            a.append(ra[0]); b.append(rb[0]); alloc_a.append(ra[3]); alloc_b.append(rb[3])
            ratios.append(rb[0] / ra[0])
            higher_is_better = mode == "thrpt"
            better += (rb[0] > ra[0]) if higher_is_better else (rb[0] < ra[0])
        if not ratios:
            continue
        fmt = (lambda v: f"{v / 1e6:.1f} M {unit.replace('ops', 'op')}") if unit.startswith("ops") else \
              (lambda v: f"{v:.1f} {unit}")
        print(f"| {key[0]} | {key[1]} | {fmt(statistics.median(a))} | {fmt(statistics.median(b))} | "
              f"{statistics.median(ratios):.2f} ({min(ratios):.2f} - {max(ratios):.2f}) | {better} of {len(ratios)} | "
              f"{max(alloc_a):.2f} | {max(alloc_b):.2f} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/target/ab")
