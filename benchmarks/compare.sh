#!/usr/bin/env bash
# Runs each workload on Spark Streaming (the baseline in ../shared/benchmarks/spark-baseline, copied
# to a writable place) and on Tributary, alternately, REPS times, then prints the medians and the
# Tributary/Spark ratio and writes them to benchmarks/RESULTS.md.
# Usage: REPS=3 benchmarks/compare.sh [W1 W2 W3U W3M W4 W5] [-- extra args for every run]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BASELINE_SRC=${BASELINE_SRC:-$HERE/../../shared/benchmarks/spark-baseline}
BASELINE=${BASELINE:-/tmp/tributary-spark-baseline}
REPS=${REPS:-3}
WORKLOADS=(); EXTRA=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then shift; EXTRA=("$@"); break; fi
  WORKLOADS+=("$1"); shift
done
[ ${#WORKLOADS[@]} -gt 0 ] || WORKLOADS=(W1 W2 W3U W3M W4 W5)
if [ ! -d "$BASELINE" ]; then cp -r "$BASELINE_SRC" "$BASELINE"; fi
LOG=$HERE/results/compare-$(date +%Y%m%d-%H%M%S).log
mkdir -p "$HERE/results"
for w in "${WORKLOADS[@]}"; do
  for r in $(seq 1 "$REPS"); do
    echo "== $w run $r: spark" >&2
    "$BASELINE/run.sh" "$w" "${EXTRA[@]}" 2>>"$LOG.err" | grep '^RESULT' | sed 's/^/spark /' | tee -a "$LOG" || true
    echo "== $w run $r: tributary" >&2
    "$HERE/run.sh" "$w" "${EXTRA[@]}" 2>>"$LOG.err" | grep '^RESULT' | sed 's/^/tributary /' | tee -a "$LOG" || true
  done
done
# summarizes every compare log in results/ (RESULTS.md is the record of all side-by-side runs)
python3 - "$HERE/RESULTS.md" "$HERE"/results/compare-*.log <<'PY'
import re, statistics, sys, platform, subprocess
out, logs = sys.argv[1], sys.argv[2:]
rows = {}
for line in (l for log in logs for l in open(log)):
    engine, rest = line.split(" ", 1)
    w = re.search(r"workload=(\S+)", rest).group(1)
    if "FAILED" in rest or "verified=false" in rest:
        continue
    for key in ("records_per_s", "lat_p50_ms", "lat_p99_ms"):
        m = re.search(r"\b%s=([0-9.]+)" % key, rest)
        if m:
            rows.setdefault((w, key), {}).setdefault(engine, []).append(float(m.group(1)))
lines = ["# Tributary vs Spark Streaming 3.5.3, same machine, same run", "",
         "Machine: %s, %s cores. Java: %s. Medians of verified runs; ratio = Tributary / Spark "
         "(for throughput higher is better, for latency lower is better)." % (platform.platform(), subprocess.getoutput("nproc"),
                                              subprocess.getoutput("java -version 2>&1 | head -1")), "",
         "| workload | metric | Spark | Tributary | ratio | runs (S/T) |", "| --- | --- | --- | --- | --- | --- |"]
for (w, key), engines in sorted(rows.items()):
    s, t = engines.get("spark", []), engines.get("tributary", [])
    ms = statistics.median(s) if s else None
    mt = statistics.median(t) if t else None
    ratio = "%.2f" % (mt / ms) if ms and mt else "-"
    lines.append("| %s | %s | %s | %s | %s | %d/%d |" % (w, key, "%.0f" % ms if ms else "-", "%.0f" % mt if mt else "-", ratio, len(s), len(t)))
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
