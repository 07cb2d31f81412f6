#!/usr/bin/env bash
# Measures how long `canopy dev` takes from exec to ready (endpoints.json written), first start
# (creates keys, store, accounts) and restart (loads them), N times each, with the class-data
# archive deploy/canopy keeps (CDS) and without it, alternately in the same run. Writes the figures
# to bench/results/startup.txt. Needs the built jar (mvn -DskipTests package); CANOPY_JAR names
# another (a copy of an earlier build, so that before and after can run alternately),
# CANOPY_BENCH_OUT another results file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${CANOPY_JAR:-$root/deploy/target/canopy.jar}"
runs="${1:-5}"
out="${CANOPY_BENCH_OUT:-$root/bench/results/startup.txt}"
mkdir -p "$(dirname "$out")"

measure() { # data-dir [jvm flags...] -> seconds to ready
  local data=$1 start end pid
  shift
  rm -f "$data/endpoints.json"
  start=$(date +%s.%N)
  java -Xmx512m -XX:G1HeapRegionSize=4m "$@" -jar "$jar" dev --data "$data" --ec2-port 0 --s3-port 0 --console-port 0 \
    --management-port 0 --agent-port 0 >"$data.log" 2>&1 &
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
# The archive as deploy/canopy makes it: written by one run's exit (untimed), mapped by later ones.
jsa="$tmp/canopy.jsa"
measure "$tmp/train" -XX:ArchiveClassesAtExit="$jsa" -Xlog:cds=off -Xlog:cds+dynamic=off >/dev/null
with_cds=(-XX:SharedArchiveFile="$jsa" -Xlog:cds=off)
first=() restart=() first_cds=() restart_cds=()
for i in $(seq "$runs"); do
  first_cds+=("$(measure "$tmp/c$i" "${with_cds[@]}")")
  first+=("$(measure "$tmp/d$i")")
  restart_cds+=("$(measure "$tmp/c$i" "${with_cds[@]}")")
  restart+=("$(measure "$tmp/d$i")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
{
  echo "canopy dev start-up, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $runs runs each, $jar, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "first start, class-data archive (s): ${first_cds[*]}  median $(median "${first_cds[@]}")"
  echo "first start, no archive (s):         ${first[*]}  median $(median "${first[@]}")"
  echo "restart, class-data archive (s):     ${restart_cds[*]}  median $(median "${restart_cds[@]}")"
  echo "restart, no archive (s):             ${restart[*]}  median $(median "${restart[@]}")"
} | tee "$out"
