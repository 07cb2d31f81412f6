#!/usr/bin/env bash
# Runs the JMH benchmarks (hot code, with a peer in the same run) and writes JSON and text
# results to bench/results/. Usage: bench/jmh.sh [JMH regexp and options]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -pl api-compat -am test-compile
cp_file="$(mktemp)"
mvn -q -B -pl api-compat dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
mkdir -p bench/results
java -cp "api-compat/target/test-classes:api-compat/target/classes:$(cat "$cp_file")" org.openjdk.jmh.Main \
  -rf json -rff bench/results/jmh.json "${@:-PayloadVerifierBenchmark}" | tee bench/results/jmh.txt
rm -f "$cp_file"
