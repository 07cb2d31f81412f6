#!/usr/bin/env bash
# Runs the JMH benchmarks (hot code, with a peer in the same run) and writes JSON and text
# results to bench/results/. Usage: bench/jmh.sh [JMH regexp and options]
#   JMH_MODULE   the module whose test classes hold the benchmarks (default api-compat)
#   JMH_RESULTS  the results' file name without extension (default jmh)
#   JMH_REPORT   a main class of that module to run after JMH, its output appended to the text
#                results (cloud-controller's series benchmark uses it for stored bytes per sample)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
module="${JMH_MODULE:-api-compat}"
results="bench/results/${JMH_RESULTS:-jmh}"
mvn -q -B -pl "$module" -am test-compile
cp_file="$(mktemp)"
mvn -q -B -pl "$module" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
mkdir -p bench/results
cp="$module/target/test-classes:$module/target/classes:$(cat "$cp_file")"
java -cp "$cp" org.openjdk.jmh.Main -rf json -rff "$results.json" "${@:-PayloadVerifierBenchmark}" | tee "$results.txt"
if [[ -n "${JMH_REPORT:-}" ]]; then
  java -cp "$cp" "$JMH_REPORT" | tee -a "$results.txt"
fi
rm -f "$cp_file"
