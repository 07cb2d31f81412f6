#!/usr/bin/env bash
# Canopy's S3 endpoint against a peer, S3Proxy (filesystem backend), in one invocation: both
# servers started side by side with the same JVM flags on fresh temp directories, then the same
# wrk load (presigned SigV4 URLs, bench/s3_compare.py) row by row on each. Optionally a third,
# already running target. Writes bench/results/s3-compare.json and bench/results/s3-compare.md.
# Needs the built jar (mvn -B -q -pl deploy -am package -DskipTests), wrk, /usr/bin/python3 with
# botocore (apt-get install wrk python3-botocore) and Maven to fetch S3Proxy once.
#
# Environment:
#   S3_COMPARE_JVM_FLAGS     flags for both server JVMs (default -Xmx512m -XX:G1HeapRegionSize=4m, the
#                            region size deploy/canopy gives Canopy; S3Proxy gets the same flags)
#   S3_COMPARE_JFR=1         also record a JFR profile of each server into bench/target/s3-compare-*.jfr
#   S3PROXY_VERSION          default 4.1.0, the newest Maven Central serves (2026-12)
#   S3_COMPARE_EXTRA_ENDPOINT, S3_COMPARE_EXTRA_ACCESS_KEY, S3_COMPARE_EXTRA_SECRET_KEY: a third
#     target (e.g. a storage node's S3 endpoint from `canopy local-cluster up`'s cluster.json);
#     S3_COMPARE_EXTRA_NAME (default extra), S3_COMPARE_EXTRA_REGION, S3_COMPARE_EXTRA_PIDS
#     (space-separated server PIDs to charge CPU to; without them its CPU is not reported)
#   S3_COMPARE_WARMUP, S3_COMPARE_DURATION, S3_COMPARE_DURATION_LARGE, S3_COMPARE_ROWS: see bench/s3_compare.py
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
canopy_jar="$root/deploy/target/canopy.jar"
s3proxy_version="${S3PROXY_VERSION:-4.1.0}"
s3proxy_jar="$root/bench/target/s3proxy-$s3proxy_version-jar-with-dependencies.jar"
jvm_flags="${S3_COMPARE_JVM_FLAGS:--Xmx512m -XX:G1HeapRegionSize=4m}"
results="$root/bench/results"
mkdir -p "$results" "$root/bench/target"

[[ -f "$canopy_jar" ]] || { echo "s3-compare: build $canopy_jar first (mvn -B -q -pl deploy -am package -DskipTests)" >&2; exit 1; }
if [[ ! -f "$s3proxy_jar" ]]; then
  (cd "$root" && mvn -B -q dependency:copy -Dartifact="org.gaul:s3proxy:$s3proxy_version:jar:jar-with-dependencies" \
    -DoutputDirectory="$root/bench/target")
fi

tmp="$(mktemp -d)"
pids=()
logs="$root/bench/target/s3-compare-logs"
stop() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$logs"; mkdir -p "$logs"; cp "$tmp"/*.log "$logs/" 2>/dev/null || true  # kept to explain errors
  rm -rf "$tmp"
}
trap stop EXIT

jfr() { # name: the recording flag for one server, empty unless S3_COMPARE_JFR=1
  [[ "${S3_COMPARE_JFR:-0}" == 1 ]] && echo "-XX:StartFlightRecording=settings=profile,filename=$root/bench/target/s3-compare-$1.jfr"
  return 0
}

# The per-account request rate (5,500/s by default, AWS's GET rate per prefix) is lifted: the rows
# measure the server, and one account's 4 KiB GETs at 16 clients go past it (503 SlowDown).
cat >"$tmp/canopy.yaml" <<CONF
s3:
  limits:
    requestsPerSecond: 1000000
    requestBurst: 1000000
CONF
# shellcheck disable=SC2086 # jvm_flags is a list of flags
java $jvm_flags $(jfr canopy) -jar "$canopy_jar" dev --config "$tmp/canopy.yaml" --data "$tmp/canopy" --ec2-port 0 --s3-port 0 --console-port 0 \
  --management-port 0 --agent-port 0 --riak-port 0 >"$tmp/canopy.log" 2>&1 &
canopy_pid=$!; pids+=("$canopy_pid")

s3proxy_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
s3proxy_key="S3CMP$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
s3proxy_secret="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
mkdir -p "$tmp/s3proxy-data"
cat >"$tmp/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$s3proxy_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$s3proxy_key
s3proxy.credential=$s3proxy_secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$tmp/s3proxy-data
CONF
# shellcheck disable=SC2086
java $jvm_flags $(jfr s3proxy) -jar "$s3proxy_jar" --properties "$tmp/s3proxy.conf" >"$tmp/s3proxy.log" 2>&1 &
s3proxy_pid=$!; pids+=("$s3proxy_pid")

until [[ -f "$tmp/canopy/endpoints.json" ]]; do kill -0 "$canopy_pid" || { cat "$tmp/canopy.log"; exit 1; }; sleep 0.2; done
until curl -s -o /dev/null "http://127.0.0.1:$s3proxy_port/"; do kill -0 "$s3proxy_pid" || { cat "$tmp/s3proxy.log"; exit 1; }; sleep 0.2; done

CANOPY_PID=$canopy_pid S3PROXY_PID=$s3proxy_pid S3PROXY_PORT=$s3proxy_port S3PROXY_KEY=$s3proxy_key \
S3PROXY_SECRET=$s3proxy_secret S3PROXY_VERSION=$s3proxy_version JVM_FLAGS="$jvm_flags" DATA="$tmp/canopy" \
CANOPY_VERSION="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- . ':!bench' || echo -dirty)" \
/usr/bin/python3 - "$tmp/targets.json" <<'PY'
import configparser, json, os, sys
e = os.environ
data = e["DATA"]
credentials = configparser.ConfigParser(); credentials.read(f"{data}/aws/credentials")
config = configparser.ConfigParser(); config.read(f"{data}/aws/config")
targets = [
    {"name": "canopy", "endpoint": json.load(open(f"{data}/endpoints.json"))["s3"],
     "access_key": credentials["canopy"]["aws_access_key_id"], "secret_key": credentials["canopy"]["aws_secret_access_key"],
     "region": config["profile canopy"].get("region", "us-east-1"), "pids": [int(e["CANOPY_PID"])],
     "version": e["CANOPY_VERSION"], "jvm_flags": e["JVM_FLAGS"], "notes": "canopy dev, fresh data dir"},
    {"name": "s3proxy", "endpoint": f"http://127.0.0.1:{e['S3PROXY_PORT']}", "access_key": e["S3PROXY_KEY"],
     "secret_key": e["S3PROXY_SECRET"], "region": "us-east-1", "pids": [int(e["S3PROXY_PID"])],
     "version": e["S3PROXY_VERSION"], "jvm_flags": e["JVM_FLAGS"], "notes": "provider filesystem (S3Proxy 4 serves it with its own NIO store), aws-v2-or-v4"},
]
if e.get("S3_COMPARE_EXTRA_ENDPOINT"):
    targets.append({"name": e.get("S3_COMPARE_EXTRA_NAME", "extra"), "endpoint": e["S3_COMPARE_EXTRA_ENDPOINT"],
                    "access_key": e["S3_COMPARE_EXTRA_ACCESS_KEY"], "secret_key": e["S3_COMPARE_EXTRA_SECRET_KEY"],
                    "region": e.get("S3_COMPARE_EXTRA_REGION", "us-east-1"),
                    "pids": [int(p) for p in e.get("S3_COMPARE_EXTRA_PIDS", "").split()],
                    "version": None, "jvm_flags": None, "notes": "given by S3_COMPARE_EXTRA_*"})
json.dump(targets, open(sys.argv[1], "w"))
PY

/usr/bin/python3 "$root/bench/s3_compare.py" "$tmp/targets.json" "$results/s3-compare.json" "$results/s3-compare.md"
