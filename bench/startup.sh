#!/usr/bin/env bash
# Measures how long `canopy dev` takes from exec to ready (endpoints.json written), first start
# (creates keys, store, accounts) and restart (loads them), N times each. Writes the figures to
# bench/results/startup.txt. Needs the built jar (mvn -DskipTests package); CANOPY_JAR names another
# (a copy of an earlier build, so that before and after can run alternately), CANOPY_BENCH_OUT another
# results file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${CANOPY_JAR:-$root/deploy/target/canopy.jar}"
runs="${1:-5}"
out="${CANOPY_BENCH_OUT:-$root/bench/results/startup.txt}"
mkdir -p "$(dirname "$out")"

measure() { # data-dir -> seconds to ready
  local data=$1 start end pid
  rm -f "$data/endpoints.json"
  start=$(date +%s.%N)
  java -Xmx512m -jar "$jar" dev --data "$data" --ec2-port 0 --s3-port 0 --console-port 0 --management-port 0 --agent-port 0 >"$data.log" 2>&1 &
  pid=$!
  until [[ -f "$data/endpoints.json" ]]; do
    kill -0 "$pid" 2>/dev/null || { cat "$data.log" >&2; exit 1; }
    sleep 0.02
  done
  end=$(date +%s.%N)
  kill -TERM "$pid"; wait "$pid" || true
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
first=() restart=()
for i in $(seq "$runs"); do
  first+=("$(measure "$tmp/d$i")")
  restart+=("$(measure "$tmp/d$i")")
done
{
  echo "canopy dev start-up, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $runs runs each, $jar, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "first start (s): ${first[*]}"
  echo "restart (s):     ${restart[*]}"
} | tee "$out"
