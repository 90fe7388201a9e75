#!/usr/bin/env python3
"""Summarizes compare.sh logs ("<engine> RESULT workload=..." lines) into a Markdown file.

Medians of verified runs per workload and metric with the Tributary / Spark ratio, then each engine
as a fraction of the physical limits: W1 against the single-pass Java word count (W1-limit, ratio
of medians), W4 against the plain KafkaConsumer loop (median of the per-run ratios run.sh W4 prints).
Usage: summarize.py OUT.md LOG...
"""
import platform
import re
import statistics
import subprocess
import sys

ENGINES = ("spark", "tributary")
LIMITS = ("W1-limit", "W4-plain-consumer")
METRICS = {  # metric -> pattern of its value in a RESULT line
    "records_per_s": r"\brecords_per_s=([0-9.]+)",
    "lat_p50_ms": r"\blat_p50_ms=([0-9.]+)",
    "lat_p99_ms": r"\blat_p99_ms=([0-9.]+)",
    "over_plain": r"_over_plain=([0-9.]+)",  # W4-ratio: engine / plain consumer, same run.sh call
}


def read(logs):
    """(workload, records, metric) -> engine -> [values] over the verified runs; records is the
    input size of the run ("" where the line has none), so runs of different sizes stay apart."""
    runs = {}
    for line in (l for log in logs for l in open(log)):
        engine, rest = line.split(" ", 1)
        if "FAILED" in rest or "verified=false" in rest:
            continue
        # W4-spark-direct and W4-tributary-direct side by side
        w = re.sub(r"-(spark|tributary)-direct$", "-direct", re.search(r"workload=(\S+)", rest).group(1))
        size = re.search(r"\brecords=(\d+)", rest)
        for key, pattern in METRICS.items():
            m = re.search(pattern, rest)
            if m:
                runs.setdefault((w, size.group(1) if size else "", key), {}).setdefault(engine, []).append(float(m.group(1)))
    return runs


def median(values):
    return statistics.median(values) if values else None


def show(x, spec):
    return spec % x if x is not None else "-"


def main(out, logs):
    runs = read(logs)
    lines = ["# Tributary vs Spark Streaming 3.5.3, same machine, same run", "",
             "Machine: %s, %s cores. Java: %s. Medians of verified runs; ratio = Tributary / Spark "
             "(for throughput higher is better, for latency lower is better)."
             % (platform.platform(), subprocess.getoutput("nproc"), subprocess.getoutput("java -version 2>&1 | head -1")),
             "", "| workload | records | metric | Spark | Tributary | ratio | runs (S/T) |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for (w, size, key), engines in sorted(runs.items()):
        s, t = engines.get("spark", []), engines.get("tributary", [])
        if key == "over_plain" or w in LIMITS or not (s or t):
            continue  # the limits have a table of their own
        ms, mt = median(s), median(t)
        ratio = mt / ms if ms and mt else None
        lines.append("| %s | %s | %s | %s | %s | %s | %d/%d |"
                     % (w, size, key, show(ms, "%.0f"), show(mt, "%.0f"), show(ratio, "%.2f"), len(s), len(t)))

    def values(w, size, key, engine):
        return runs.get((w, size, key), {}).get(engine, [])

    limits = []  # (workload, records, the limit, its median, {engine: (engine / limit, runs)}, runs of the limit)
    for (w, size, key), engines in sorted(runs.items()):
        if w == "W1-limit" and key == "records_per_s":
            lim = median(engines["limit"])
            w1 = {e: values("W1", size, key, e) for e in ENGINES}
            limits.append(("W1", size, "single-threaded Java word count (W1-limit), lines/s", lim,
                           {e: (median(v) / lim if v else None, len(v)) for e, v in w1.items()}, len(engines["limit"])))
    w4 = {e: values("W4-ratio", "", "over_plain", e) for e in ENGINES}
    if any(w4.values()):
        plain = [v for (w, _, _), engines in runs.items() if w == "W4-plain-consumer" for vs in engines.values() for v in vs]
        limits.append(("W4", "", "plain KafkaConsumer loop, records/s (median of per-run ratios)", median(plain),
                       {e: (median(v), len(v)) for e, v in w4.items()}, len(plain)))
    if limits:
        lines += ["", "Against the physical limits (engine / limit; higher is better):", "",
                  "| workload | records | limit | limit (median) | Spark / limit | Tributary / limit | runs (S/T/limit) |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for w, size, what, lim, fractions, n in limits:
            (fs, ns), (ft, nt) = fractions["spark"], fractions["tributary"]
            lines.append("| %s | %s | %s | %s | %s | %s | %d/%d/%d |"
                         % (w, size, what, show(lim, "%.0f"), show(fs, "%.2f"), show(ft, "%.2f"), ns, nt, n))
    open(out, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
