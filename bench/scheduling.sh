#!/usr/bin/env bash
# Scheduling throughput: 1,000 RunInstances through the real EC2 endpoint and the AWS SDK across
# 500 real node agents enrolled over mutual TLS (FakeHypervisor node sides, no libvirt), all in
# one JVM. Writes bench/results/scheduling.txt.
# Optional arguments: agents launches threads enroll-concurrency (defaults 500 1000 16 16).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
# One reactor invocation, so the sibling modules resolve to their target/classes (they are not
# installed in the local repository); cloud-controller builds last and its classpath is kept.
mvn -q -B -o -pl cloud-controller -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
java -Xmx2g -cp "cloud-controller/target/test-classes:cloud-controller/target/classes:$(cat "$cp_file")" \
  dev.canopy.cloud.bench.SchedulingBench bench/results/scheduling.txt "$@"
rm -f "$cp_file"
