#!/usr/bin/env python3
"""Prints the codec benchmarks' medians and ratios from criterion's output.

Usage: report.py CRITERION_DIR [--save FILE] [--summary FILE...]

Without --summary it reads CRITERION_DIR/<group>/<binding>/new/estimates.json
(the last run), prints one table, and with --save also writes the medians as
JSON. With --summary it prints the median over the saved runs instead.
"""

import json
import os
import statistics
import sys

GROUPS = [
    "binary_encode",
    "binary_decode",
    "binary_size",
    "compact_encode",
    "compact_decode",
    "compact_size",
]
PEERS = ["pilota", "pilota_unsafe", "thrift"]


def read_run(root):
    """{group: {binding: median_ns}} for every benchmark criterion has."""
    run = {}
    for group in GROUPS:
        group_dir = os.path.join(root, group)
        if not os.path.isdir(group_dir):
            continue
        for binding in sorted(os.listdir(group_dir)):
            path = os.path.join(group_dir, binding, "new", "estimates.json")
            if os.path.isfile(path):
                with open(path) as f:
                    median = json.load(f)["median"]["point_estimate"]
                run.setdefault(group, {})[binding] = median
    return run


def fmt_ns(ns):
    if ns is None:
        return "-"
    if ns >= 1000:
        return f"{ns / 1000:.2f} µs"
    return f"{ns:.0f} ns"


def fmt_ratio(peer, ours):
    # How many times faster ours is: peer time / our time (> 1 is better).
    if peer is None or not ours:
        return "-"
    return f"{peer / ours:.2f}x"


def print_table(run, title):
    print(f"\n{title}")
    header = ["benchmark", "ours"] + PEERS + ["pilota/ours", "pilota_unsafe/ours", "thrift/ours"]
    rows = [header]
    for group in GROUPS:
        medians = run.get(group)
        if not medians:
            continue
        ours = medians.get("ours")
        rows.append(
            [group, fmt_ns(ours)]
            + [fmt_ns(medians.get(p)) for p in PEERS]
            + [fmt_ratio(medians.get(p), ours) for p in PEERS]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for i, row in enumerate(rows):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def print_summary(runs):
    """Median times over the runs, and each peer's ratio run by run.

    A ratio is taken within one run (ours and the peer measured a few seconds
    apart), so load that shifts a whole run moves it less than the times.
    """
    merged = {}
    for run in runs:
        for group, medians in run.items():
            for binding, ns in medians.items():
                merged.setdefault(group, {}).setdefault(binding, []).append(ns)
    summary = {g: {b: statistics.median(v) for b, v in m.items()} for g, m in merged.items()}
    print_table(summary, f"Median over {len(runs)} runs (ratios of the medians: peer time / our time)")
    print("\nRatios run by run (peer time / our time, >1 = ours faster): median [min-max]")
    for group in GROUPS:
        for peer in PEERS:
            ratios = [
                run[group][peer] / run[group]["ours"]
                for run in runs
                if peer in run.get(group, {}) and run[group].get("ours")
            ]
            if ratios:
                print(
                    f"  {group:<15} {peer + '/ours':<19} {statistics.median(ratios):.2f}x "
                    f"[{min(ratios):.2f}-{max(ratios):.2f}]  runs: "
                    + ", ".join(f"{r:.2f}" for r in ratios)
                )
    print("\nSpread of the times over the runs ((max - min) / median)")
    for group in GROUPS:
        for binding, values in sorted(merged.get(group, {}).items()):
            spread = (max(values) - min(values)) / statistics.median(values) * 100
            print(f"  {group + '/' + binding:<28} {spread:3.0f}%  runs: " + ", ".join(fmt_ns(v) for v in values))


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    if "--summary" in argv:
        files = argv[argv.index("--summary") + 1:]
        runs = []
        for name in files:
            with open(name) as f:
                runs.append(json.load(f))
        print_summary(runs)
        return
    run = read_run(argv[1])
    if not run:
        sys.exit(f"no criterion results under {argv[1]}")
    print_table(run, "Medians of this run (ratios: peer time / our time, >1 = ours faster)")
    if "--save" in argv:
        with open(argv[argv.index("--save") + 1], "w") as f:
            json.dump(run, f, indent=1)


if __name__ == "__main__":
    main(sys.argv)
