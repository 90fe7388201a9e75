#!/usr/bin/env bash
# Prints the path of the benchmarks' shaded jar, building it first (mvn package, no tests) when it
# is missing or older than the sources it is made of. Used by run.sh and jmh.sh.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=$HERE/target/tributary-benchmarks.jar
if [ ! -f "$JAR" ] || [ -n "$(find "$HERE/src" "$HERE/pom.xml" "$HERE/../core/src/main" "$HERE/../connectors/kafka/src/main" "$HERE/../ui/src/main" -newer "$JAR" 2>/dev/null | head -1)" ]; then
  echo "building (mvn package)..." >&2
  (cd "$HERE/.." && mvn -q -B -DskipTests package -pl benchmarks -am >&2)
fi
echo "$JAR"
