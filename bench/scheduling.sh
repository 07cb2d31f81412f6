#!/usr/bin/env bash
# Scheduling throughput: 1,000 RunInstances through the real EC2 endpoint and the AWS SDK across
# 500 real node agents enrolled over mutual TLS (FakeHypervisor node sides, no libvirt), all in
# one JVM. Without arguments runs twice, 16 and then 50 client threads, writing
# bench/results/scheduling.txt and bench/results/scheduling-50.txt (each ends with the capacity
# check of every node from the grid: over-committed nodes are counted and fail the run).
# Optional arguments, for one run: agents launches threads enroll-concurrency (defaults 500 1000 16 16).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
# One reactor invocation, so the sibling modules resolve to their target/classes (they are not
# installed in the local repository); cloud-controller builds last and its classpath is kept.
mvn -q -B -o -pl cloud-controller -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
run() {
  java -Xmx2g -cp "cloud-controller/target/test-classes:cloud-controller/target/classes:$(cat "$cp_file")" \
    dev.canopy.cloud.bench.SchedulingBench "$@"
}
status=0
if [ $# -gt 0 ]; then
  run bench/results/scheduling.txt "$@" || status=$?
else
  run bench/results/scheduling.txt 500 1000 16 16 || status=$?
  run bench/results/scheduling-50.txt 500 1000 50 16 || status=$?
fi
rm -f "$cp_file"
exit "$status"
