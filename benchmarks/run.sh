#!/usr/bin/env bash
# Runs one workload of ../shared/benchmarks on Tributary, exactly as spark-baseline/run.sh runs it on
# Spark Streaming: the same generator JVM, the same data, the same checks, the same RESULT line.
# Usage: benchmarks/run.sh W1|W2|W3U|W3M|W5 [--lines N] [--vocab V] [--batch-ms MS] ...
# Env: HEAP (default -Xmx4g), EXTRA_JVM_OPTS (e.g. -Dspark.streaming.blockInterval=100ms).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(echo "${1:?usage: run.sh W1|W2|W3U|W3M|W5 [args]}" | tr a-z A-Z)
shift
JAR=$HERE/target/tributary-benchmarks.jar
if [ ! -f "$JAR" ] || [ -n "$(find "$HERE/src" "$HERE/../core/src/main" -newer "$JAR" 2>/dev/null | head -1)" ]; then
  echo "building (mvn package)..." >&2
  (cd "$HERE/.." && mvn -q -B -DskipTests package -pl benchmarks -am >&2)
fi
HEAP=${HEAP:--Xmx4g}
LOGDIR=/tmp/tributary-bench-logs/$W-$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$LOGDIR" "$HERE/results"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
GEN_PID=""
cleanup() { if [ -n "$GEN_PID" ] && kill -0 "$GEN_PID" 2>/dev/null; then kill "$GEN_PID" 2>/dev/null || true; fi; }
trap cleanup EXIT
DEFAULTS=()
case "$W" in
  W3U|W3M) DEFAULTS=(--vocab 1000000);;
  W5) DEFAULTS=(--rate 200000 --seconds 60 --batch-ms 500);;
  W1|W2) ;;
  *) echo "unknown or not yet ported workload $W (W4 needs the Kafka port)" >&2; exit 2;;
esac
PORT=$(free_port)
STATUS=$LOGDIR/gen.status
MODE=bulk; [ "$W" = W5 ] && MODE=rate
java -Xmx512m -cp "$JAR" bench.Generator $MODE --port "$PORT" --status "$STATUS" "${DEFAULTS[@]}" "$@" > "$LOGDIR/gen.log" 2>&1 &
GEN_PID=$!
for _ in $(seq 1 3000); do grep -q "GEN READY" "$LOGDIR/gen.log" 2>/dev/null && break; kill -0 "$GEN_PID" || { cat "$LOGDIR/gen.log" >&2; exit 1; }; sleep 0.2; done
echo "generator pid=$GEN_PID port=$PORT ($MODE); app log: $LOGDIR/app.log" >&2
set +e
# shellcheck disable=SC2086
java $HEAP ${EXTRA_JVM_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$JAR" bench.Main "$W" \
  --port "$PORT" --gen-status "$STATUS" "${DEFAULTS[@]}" "$@" 2> "$LOGDIR/app.log" \
  | while IFS= read -r line; do
      echo "$line"
      case "$line" in RESULT*) echo "$(date -Is) $line engine=tributary heap=$HEAP logdir=$LOGDIR" >> "$HERE/results/runs.log";; esac
    done
RC=${PIPESTATUS[0]}
exit "$RC"
