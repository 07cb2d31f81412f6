#!/usr/bin/env bash
# Metering at scale (issue 14): a three-controller cloud with three storage nodes (local-cluster,
# the built jar, loopback subnet 127.0.12) and simulated node agents (deploy's test class
# dev.canopy.deploy.bench.MeteringScaleLoad): HOSTS hosts enrolled with one-time tokens, one agent
# session each with its own node certificate (controllers round-robin; asked to dial from 50 source
# addresses 127.0.12.200-249, they all dial from 127.0.0.1, see below), each sending a reading of GUESTS instances (one vNIC each) every 10 s for
# MINUTES. Writes bench/results/metering-scale.{txt,json} (and .jfr, the lease holder's profile,
# with --jfr). Stops everything it started, also on failure or Ctrl-C.
#
# usage: bench/metering-scale.sh [--minutes 10] [--hosts 20000] [--guests 8] [--reading-ms 10000] [--jfr] [--out PREFIX] [--keep]
# (--reading-ms below 10000: fewer hosts offering the same batches per second, e.g. 2,000 hosts at 1000.)
# Needs deploy/target/canopy.jar and deploy/target/test-classes (mvn install -DskipTests).
# CANOPY_JAR runs the cluster from another build (a copy of an earlier jar, for before and after;
# name the copy canopy.jar, in a folder of its own: local-cluster down finds the cluster's processes
# by that name); the load generator always runs from this build, so both runs get the same load.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
minutes=10 hosts=20000 guests=8 reading_ms=10000 jfr="" out=bench/results/metering-scale keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --hosts) hosts="$2"; shift 2 ;;
    --guests) guests="$2"; shift 2 ;;
    --reading-ms) reading_ms="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --jfr) jfr=1; shift ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--minutes M] [--hosts N] [--guests G] [--reading-ms MS] [--jfr] [--out PREFIX] [--keep]" >&2; exit 2 ;;
  esac
done
jar=deploy/target/canopy.jar
cluster_jar="${CANOPY_JAR:-$jar}"
classes=deploy/target/test-classes
[[ -f "$jar" && -f "$classes/dev/canopy/deploy/bench/MeteringScaleLoad.class" ]] \
  || { echo "build first: mvn -B -o install -DskipTests" >&2; exit 2; }
# One socket per simulated session in the generator, and up to ~7,000 sessions per controller.
ulimit -n "$(ulimit -Hn)"

dir="$(mktemp -d /tmp/metering-scale.XXXXXX)"
gen_pid=""
cleanup() {
  status=$?
  set +e
  if [[ -n "$gen_pid" ]]; then kill "$gen_pid" 2>/dev/null; wait "$gen_pid" 2>/dev/null; fi
  java -jar "$cluster_jar" local-cluster down --dir "$dir" >/dev/null 2>&1
  if [[ $status -eq 0 && $keep -eq 0 ]]; then rm -rf "$dir"; else echo "metering-scale: cluster folder kept: $dir" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java -Xmx512m -jar "$cluster_jar" local-cluster up --controllers 3 --storage 3 --nodes 0 --subnet 127.0.12 --dir "$dir"

# The agent port admits 4,096 connections by default; a third of 20,000 hosts is more. Restart the
# controllers (all three: stopped, then started) with a config that raises the listener cap.
# The simulated hosts' sessions all come from 127.0.0.1 (Vert.x 5's WebSocket client does not bind
# the local address it is given), so the per-address cap (256) is lifted too: with it, at most 256
# hosts a controller had a session.
cat > "$dir/scale.yaml" <<'YAML'
connections:
  perListener: 16384
  perAddress: 16384
YAML
python3 - "$dir" <<'PY'
import json, os, signal, subprocess, sys, time, urllib.request
d = sys.argv[1]
cluster = json.load(open(os.path.join(d, "cluster.json")))
for c in cluster["controllers"]:
    os.kill(c["pid"], signal.SIGTERM)
for c in cluster["controllers"]:
    deadline = time.time() + 60
    while os.path.exists("/proc/%d" % c["pid"]) and time.time() < deadline:
        time.sleep(0.2)
for c in cluster["controllers"]:
    log = open(c["log"], "a")
    subprocess.Popen(["setsid"] + c["argv"] + ["--config", os.path.join(d, "scale.yaml")], stdout=log,
                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
deadline = time.time() + 120
while time.time() < deadline:
    try:
        lease = json.load(urllib.request.urlopen(cluster["controllers"][0]["management"] + "/lease", timeout=2))
        if lease.get("remainingMs") is not None or lease.get("holder"):
            held = [json.load(urllib.request.urlopen(c["management"] + "/lease", timeout=2)) for c in cluster["controllers"]]
            if all(h.get("holder") == lease["holder"] for h in held):
                print("metering-scale: controllers restarted with %s; controller %s holds the lease" % ("scale.yaml", lease["holder"]))
                sys.exit(0)
    except Exception:
        pass
    time.sleep(1)
sys.exit("metering-scale: no lease holder after restarting the controllers")
PY

java -Xmx2g -cp "$jar:$classes" dev.canopy.deploy.bench.MeteringScaleLoad --cluster "$dir/cluster.json" \
  --hosts "$hosts" --guests "$guests" --reading-ms "$reading_ms" --minutes "$minutes" --sources 127.0.12.200 --source-count 50 --out "$out" \
  ${jfr:+--jfr "$out.jfr"} &
gen_pid=$!
wait "$gen_pid"
gen_pid=""
cat "$out.txt"
