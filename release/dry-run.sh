#!/usr/bin/env bash
# Release dry run: deploys every published artifact (jar, sources, Javadoc, pom, and the BOM) into
# a local file repository, checks each is there, then builds and runs an application outside the
# reactor (release/consumer-app: the BOM, core, one connector, shaded into one runnable jar) with a
# local repository that holds no Tributary artifact, so Tributary resolves from the dry-run
# repository alone.
# Usage: release/dry-run.sh [work directory, default target/release-dry-run]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${1:-$ROOT/target/release-dry-run}
rm -rf "$WORK"
mkdir -p "$WORK"
REPO=$WORK/repository

echo "release dry run: deploying into $REPO"
(cd "$ROOT" && mvn -B -q -Prelease -DskipTests -pl '!examples,!benchmarks,!architecture' deploy \
  -DaltDeploymentRepository="dry-run::default::file://$REPO")

missing=0
for pom in "$ROOT"/bom/pom.xml "$ROOT"/core/pom.xml "$ROOT"/hadoop/pom.xml "$ROOT"/ui/pom.xml "$ROOT"/connectors/*/pom.xml "$ROOT"/runners/*/pom.xml; do
  artifact=$(sed -n 's:^  <artifactId>\(.*\)</artifactId>$:\1:p' "$pom" | head -1)
  version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$pom" | head -1)
  dir=$REPO/io/tributary/$artifact/$version
  kinds="pom"
  grep -q '<packaging>pom</packaging>' "$pom" || kinds="pom jar sources.jar javadoc.jar"
  for kind in $kinds; do
    case $kind in
      pom) pattern="$artifact-*.pom" ;;
      jar) pattern="$artifact-*[0-9].jar" ;;
      *) pattern="$artifact-*-$kind" ;;
    esac
    if ! compgen -G "$dir/$pattern" > /dev/null; then
      echo "missing: $artifact $version $kind in $dir" >&2
      missing=1
    fi
  done
done
[ "$missing" = 0 ] || exit 1

# A local repository with everything but Tributary, hard-linked from the usual one (no download).
LOCAL=$WORK/local-repository
M2=${MAVEN_REPO:-$HOME/.m2/repository}
cp -al "$M2" "$LOCAL" 2>/dev/null || cp -a "$M2" "$LOCAL"
rm -rf "$LOCAL/io/tributary"
cat > "$WORK/settings.xml" <<SETTINGS
<settings>
  <profiles>
    <profile>
      <id>dry-run</id>
      <repositories>
        <repository>
          <id>dry-run</id>
          <url>file://$REPO</url>
          <snapshots><enabled>true</enabled></snapshots>
        </repository>
      </repositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>dry-run</activeProfile></activeProfiles>
</settings>
SETTINGS

APP=$WORK/consumer-app
cp -r "$ROOT/release/consumer-app" "$APP"
MVN=(mvn -B -q -s "$WORK/settings.xml" -Dmaven.repo.local="$LOCAL" -f "$APP/pom.xml")
"${MVN[@]}" package
OUT=$(java -jar "$APP/target/tributary-consumer-app-1.0.jar" 2> "$WORK/app.log") # the shaded uber-jar
echo "$OUT"
case "$OUT" in
  *"COUNTED a=3 b=1 MQTT ok"*) echo "release dry run: passed" ;;
  *) echo "release dry run: the application did not count as expected (log: $WORK/app.log)" >&2; exit 1 ;;
esac
ls "$LOCAL/io/tributary" > /dev/null && echo "(Tributary came from the dry-run repository: $(ls "$LOCAL/io/tributary" | tr '\n' ' '))"
