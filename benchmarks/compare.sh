#!/usr/bin/env bash
# Runs each workload on Spark Streaming (the baseline in ../shared/benchmarks/spark-baseline, copied
# to a writable place) and on Tributary, alternately, REPS times, then prints the medians and the
# Tributary/Spark ratio and writes them into benchmarks/RESULTS.md, between its GENERATED markers
# (the hand-written text around them stays). With W1, every repetition also
# runs W1's physical limit (run.sh W1-LIMIT, one plain Java thread); the summary shows each engine
# as a fraction of it, and of the plain KafkaConsumer loop for W4 (summarize.py).
# Usage: REPS=3 benchmarks/compare.sh [W1 W2 W3U W3M W4 W5] [-- extra args for every run]
# Env: EXTRA_JVM_OPTS reaches both engines' JVMs (e.g. -Dspark.streaming.backpressure.enabled=true);
# TAG names such a variant: its rows read e.g. "W1[bp]" instead of "W1".
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
TAG=${TAG:-}
tag() { if [ -n "$TAG" ]; then sed -E "s/workload=([^ ]+)/workload=\1[$TAG]/"; else cat; fi; }
mkdir -p "$HERE/results"
for w in "${WORKLOADS[@]}"; do
  for r in $(seq 1 "$REPS"); do
    echo "== $w run $r: spark" >&2
    "$BASELINE/run.sh" "$w" "${EXTRA[@]}" 2>>"$LOG.err" | grep '^RESULT' | tag | sed 's/^/spark /' | tee -a "$LOG" || true
    echo "== $w run $r: tributary" >&2
    "$HERE/run.sh" "$w" "${EXTRA[@]}" 2>>"$LOG.err" | grep '^RESULT' | tag | sed 's/^/tributary /' | tee -a "$LOG" || true
    if [ "$w" = W1 ] && [ -z "$TAG" ]; then
      echo "== $w run $r: single-pass limit" >&2
      "$HERE/run.sh" W1-LIMIT "${EXTRA[@]}" 2>>"$LOG.err" | grep '^RESULT' | sed 's/^/limit /' | tee -a "$LOG" || true
    fi
  done
done
# summarizes every compare log in results/ (RESULTS.md is the record of all side-by-side runs)
python3 "$HERE/summarize.py" "$HERE/RESULTS.md" "$HERE"/results/compare-*.log
