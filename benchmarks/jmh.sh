#!/usr/bin/env bash
# JMH micro-benchmarks of the hot paths (src/main/java/bench/jmh, and BlockGeneratorBench in
# io.tributary.streaming.internal.receiver): block generator, shuffle combine, state map, WAL.
# Usage: benchmarks/jmh.sh [regex] [JMH args]; builds the jar first if needed. Examples:
#   benchmarks/jmh.sh -l                                       # list the benchmarks
#   benchmarks/jmh.sh StateMap                                 # one class, its own settings (1 fork, 3+5 x 2 s)
#   benchmarks/jmh.sh -f 1 -wi 1 -i 1 -w 1s -r 1s              # smoke run of everything
#   benchmarks/jmh.sh 'WalBench' -p size=1024 -p fsync=true    # one parameter combination
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=$("$HERE/jar.sh")
exec java -cp "$JAR" org.openjdk.jmh.Main "$@"
