#!/usr/bin/env bash
# DescribeInstances over 10,000 instances through the real EC2 endpoint and the AWS SDK.
# Writes bench/results/describe-instances.txt (or $1). BENCH_JAVA_OPTS=-Dbench.runsDivisor=4 for a quicker pass;
# BENCH_MVN_OPTS for Maven (e.g. "-o -Dmaven.repo.local=DIR").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
# One reactor run, so sibling modules resolve to their freshly compiled classes; the last module
# (cloud-controller) writes the classpath file.
mvn -q -B ${BENCH_MVN_OPTS:-} -pl cloud-controller -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "cloud-controller/target/test-classes:cloud-controller/target/classes:$(cat "$cp_file")" \
  dev.canopy.cloud.bench.DescribeInstancesBench "${1:-bench/results/describe-instances.txt}"
rm -f "$cp_file"
