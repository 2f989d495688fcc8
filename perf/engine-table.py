#!/usr/bin/env python3
"""Prints the engine benchmark table (Markdown) from a JMH JSON result of run-engine-bench.sh.

events/s is JMH's score (ops are events: @OperationsPerInvocation). Bytes per event are shown
two ways, which should agree: JMH's gc.alloc.rate.norm (JMH 1.37 on JDK 17 reads
ThreadMXBean.getTotalThreadAllocatedBytes, i.e. every thread of the JVM, stage threads included,
divided by events) and gc.alloc.rate (MB/s, whole JVM) divided by events/s.
"""
import json
import math
import sys

BATCH = 64
ORDER = {"INLINE": 0, "SINGLE": 1, "FUSED": 2, "PER_STAGE": 3}


def fmt_rate(x):
    try:
        x = float(x)
    except (TypeError, ValueError):
        return "n/a"
    return "n/a" if math.isnan(x) else f"{x / 1e6:.2f} M"


def median(raw):
    """Median over every measured iteration of every fork: the steady state, without the first
    iteration's last pane-ring growth or the last one's trial teardown (JMH counts the
    allocation of @TearDown(Level.Trial), here the stats() check, in the last iteration)."""
    if not raw:
        return None
    xs = sorted(x for fork in raw for x in fork)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def main(path):
    runs = json.load(open(path))
    raw, pipe = {}, []
    for r in runs:
        name = r["benchmark"].rsplit(".", 2)[-2]
        p = r.get("params", {})
        sec = r.get("secondaryMetrics", {})
        row = {
            "name": name,
            "topology": p.get("topology", "-"),
            "ws": p.get("panesPerWindow", "-"),
            "ring": p.get("ringSize", "-"),
            "score": r["primaryMetric"]["score"],
            "error": r["primaryMetric"]["scoreError"],
            "norm": sec.get("gc.alloc.rate.norm", {}).get("score"),
            "norm_median": median(sec.get("gc.alloc.rate.norm", {}).get("rawData")),
            "rate": sec.get("gc.alloc.rate", {}).get("score"),
            "full": sec.get("ringFull", {}).get("score"),
            "seconds": r["measurementIterations"] * float(r["measurementTime"].split()[0]),
        }
        if name == "RawDisruptorBenchmark":
            raw[row["topology"]] = row
        else:
            pipe.append(row)
    pipe.sort(key=lambda x: (ORDER.get(x["topology"], 9), int(x["ws"])))
    ceiling = raw.get("SINGLE")

    print("| benchmark | topology | W/S | events/s (±99.9%) | % of raw ceiling | % of raw, same layout "
          "| B/event (norm) | B/event (rate/score) | B/event, median iteration | failed claims per batch |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in [raw[t] for t in sorted(raw, key=lambda t: ORDER.get(t, 9))] + pipe:
        same = raw.get(row["topology"])
        pct = f"{100 * row['score'] / ceiling['score']:.1f} %" if ceiling else "-"
        pct_same = f"{100 * row['score'] / same['score']:.1f} %" if same and row["name"] != "RawDisruptorBenchmark" else "-"
        norm = f"{row['norm']:.3f}" if row["norm"] is not None else "-"
        by_rate = f"{row['rate'] * 1024 * 1024 / row['score']:.3f}" if row["rate"] is not None else "-"
        med = f"{row['norm_median']:.3f}" if row["norm_median"] is not None else "-"
        batches = row["score"] * row["seconds"] / BATCH
        full = f"{row['full'] / batches:.1f}" if row["full"] is not None and batches > 0 else "-"
        print(f"| {row['name']} | {row['topology']} | {row['ws']} | {fmt_rate(row['score'])} (± {fmt_rate(row['error'])}) "
              f"| {pct} | {pct_same} | {norm} | {by_rate} | {med} | {full} |")

    print()
    by = {(r["topology"], r["ws"]): r["score"] for r in pipe}
    for t in sorted({r["topology"] for r in pipe}, key=lambda t: ORDER.get(t, 9)):
        if (t, "1") in by and (t, "60") in by:
            # cost per event is 1/score: (1/s60) / (1/s1) - 1
            print(f"{t}: cost per event at W/S 60 vs W/S 1: {100 * (by[(t, '1')] / by[(t, '60')] - 1):+.1f} %")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "perf/results/engine.json")
