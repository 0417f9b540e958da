#!/usr/bin/env bash
# `rhythmsearch bench index` with the HNSW baseline on Lucene 10 under a JDK where Lucene uses its
# Vector API (SIMD) code (issue 16, point 4). Our jars stay Java 17 bytecode compiled against Lucene 9.12;
# this only swaps the lucene-core jar on the class path (the baseline uses API common to both) and runs
# on JAVA25 (default /usr/lib/jvm/temurin-25-jdk-amd64). The JSON's hnsw.lucene says which Lucene ran and
# whether it enabled its vector code.
#   scripts/hnsw-lucene10.sh [bench index options...]     (after mvn -B package)
#   e.g. scripts/hnsw-lucene10.sh --index data/ext.db --source real --hop 1 --queries 300 --json
set -euo pipefail
cd "$(dirname "$0")/.."
LUCENE=${LUCENE_VERSION:-10.6.0}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x "$JAVA25/bin/java" ] || { echo "hnsw-lucene10.sh: no JDK at $JAVA25 (set JAVA25)" >&2; exit 2; }
lib=rhythmsearch-cli/target/lib
[ -d "$lib" ] || { echo "hnsw-lucene10.sh: run mvn -B package first" >&2; exit 2; }
dir=rhythmsearch-cli/target/lucene-$LUCENE
if [ ! -f "$dir/lucene-core-$LUCENE.jar" ]; then
  mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.11.0:copy \
    -Dartifact="org.apache.lucene:lucene-core:$LUCENE" -DoutputDirectory="$dir" >&2
fi
# the classes folder, not the jar: the jar's manifest would put lib/lucene-core-9.*.jar back on the path
cp=$dir/lucene-core-$LUCENE.jar:rhythmsearch-cli/target/classes
for j in "$lib"/*.jar; do
  case "$(basename "$j")" in lucene-*) ;; *) cp=$cp:$j ;; esac
done
exec "$JAVA25/bin/java" --add-modules jdk.incubator.vector ${RHYTHMSEARCH_JAVA_OPTS:-} -cp "$cp" \
  org.rhythmsearch.cli.Main bench index "$@"
