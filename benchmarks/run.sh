#!/usr/bin/env bash
# Runs one workload of ../shared/benchmarks on Tributary, exactly as spark-baseline/run.sh runs it on
# Spark Streaming: the same generator JVM, the same data, the same checks, the same RESULT line.
# Usage: benchmarks/run.sh W1|W1-LIMIT|W2|W3U|W3M|W4|W5 [--lines N] [--vocab V] [--batch-ms MS] [--records N] ...
# W1-LIMIT: W1's physical limit, one plain Java thread counting the same socket's words (bench.SinglePass).
# Env: HEAP (default -Xmx4g), EXTRA_JVM_OPTS (e.g. -Dspark.streaming.blockInterval=100ms).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(echo "${1:?usage: run.sh W1|W1-LIMIT|W2|W3U|W3M|W4|W5 [args]}" | tr a-z A-Z)
shift
JAR=$("$HERE/jar.sh")
HEAP=${HEAP:--Xmx4g}
LOGDIR=/tmp/tributary-bench-logs/$W-$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$LOGDIR" "$HERE/results"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
GEN_PID=""; BROKER_PID=""
cleanup() {
  if [ -n "$GEN_PID" ] && kill -0 "$GEN_PID" 2>/dev/null; then kill "$GEN_PID" 2>/dev/null || true; fi
  if [ -n "$BROKER_PID" ] && kill -0 "$BROKER_PID" 2>/dev/null; then kill "$BROKER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT
record() {
  while IFS= read -r line; do
    echo "$line"
    case "$line" in RESULT*) echo "$(date -Is) $line engine=tributary heap=$HEAP logdir=$LOGDIR" >> "$HERE/results/runs.log";; esac
  done
}
if [ "$W" = W4 ]; then
  # The same single-node KRaft broker as the baseline, in its own JVM; the topic is preloaded once.
  KDIR=/tmp/tributary-bench-kafka; KPORT=$(free_port); CPORT=$(free_port)
  [ -d "$HERE/kafka-broker/target/lib" ] || mvn -q -B -f "$HERE/kafka-broker/pom.xml" package >&2
  rm -rf "$KDIR"; mkdir -p "$KDIR"
  cat > "$KDIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$KPORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KPORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KDIR/data
num.partitions=4
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  KCP="$HERE/kafka-broker/target/lib/*"
  KOPTS=(-Xmx1g -Xms1g "-Dlog4j.configuration=file:$HERE/kafka-broker/log4j.properties")
  java "${KOPTS[@]}" -cp "$KCP" kafka.tools.StorageTool format -t MkU3OEVBNTcwNTJENDM2Qg -c "$KDIR/server.properties" > "$LOGDIR/format.log" 2>&1
  java "${KOPTS[@]}" -cp "$KCP" kafka.Kafka "$KDIR/server.properties" > "$LOGDIR/broker.log" 2>&1 &
  BROKER_PID=$!
  for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$KPORT) 2>/dev/null && break; kill -0 "$BROKER_PID" || exit 1; sleep 0.2; done
  BOOT=(--bootstrap "127.0.0.1:$KPORT")
  # The plain loop, W4's reference, runs on kafka-clients 3.4.1, the client of the Spark baseline's
  # loop: with 3.9.0 (what the Kafka connector ships) the same single-consumer loop measured ~5x
  # slower on this machine (0.45M against 2.2-2.7M records/s), which would flatter the ratio.
  PLAIN_CLIENT=$HERE/target/plain-consumer-lib/kafka-clients-3.4.1.jar
  [ -f "$PLAIN_CLIENT" ] || mvn -q -B dependency:copy -Dartifact=org.apache.kafka:kafka-clients:3.4.1 \
    -DoutputDirectory="$HERE/target/plain-consumer-lib" >&2
  java -Xmx1g -cp "$JAR" bench.Main W4 preload "${BOOT[@]}" "$@" 2> "$LOGDIR/preload.log" >&2
  java $HEAP -cp "$PLAIN_CLIENT:$JAR" bench.Main W4 consumer "${BOOT[@]}" "$@" 2> "$LOGDIR/warmup.log" | sed 's/^RESULT/WARMUP/' >&2
  # shellcheck disable=SC2086
  PLAIN=$(java $HEAP -cp "$PLAIN_CLIENT:$JAR" bench.Main W4 consumer "${BOOT[@]}" "$@" 2> "$LOGDIR/plain.log" | record)
  echo "$PLAIN"
  P=$(echo "$PLAIN" | grep -o '\brecords_per_s=[0-9]*' | cut -d= -f2)
  # shellcheck disable=SC2086
  DIRECT=$(java $HEAP ${EXTRA_JVM_OPTS:-} -cp "$JAR" bench.Main W4 spark "${BOOT[@]}" "$@" 2> "$LOGDIR/tributary.log" | record)
  echo "$DIRECT"
  T=$(echo "$DIRECT" | grep -o '\brecords_per_s=[0-9]*' | cut -d= -f2)
  if [ -n "$P" ] && [ -n "$T" ]; then
    echo "RESULT workload=W4-ratio tributary_records_per_s=$T plain_records_per_s=$P tributary_over_plain=$(python3 -c "print(round($T/$P,3))")" | record
  fi
  exit 0
fi
DEFAULTS=()
case "$W" in
  W3U|W3M) DEFAULTS=(--vocab 1000000);;
  W5) DEFAULTS=(--rate 200000 --seconds 60 --batch-ms 500);;
  W1|W1-LIMIT|W2) ;;
  *) echo "unknown workload $W" >&2; exit 2;;
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
  --port "$PORT" --gen-status "$STATUS" "${DEFAULTS[@]}" "$@" 2> "$LOGDIR/app.log" | record
RC=${PIPESTATUS[0]}
exit "$RC"
