#!/usr/bin/env bash
# Load on the S3 endpoint of a real `canopy dev` (loopback only): wrk against presigned URLs,
# so every request is a full SigV4 check plus a store read or write. Writes the figures to
# bench/results/s3-load.txt. Needs the built jar, wrk and /usr/bin/aws (apt-get install wrk awscli).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/deploy/target/canopy.jar"
duration="${DURATION:-15s}"
out="$root/bench/results/s3-load.txt"
mkdir -p "$(dirname "$out")"

tmp="$(mktemp -d)"
java -Xmx512m -jar "$jar" dev --data "$tmp/data" --ec2-port 0 --s3-port 0 --console-port 0 --management-port 0 --agent-port 0 >"$tmp/canopy.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
until [[ -f "$tmp/data/endpoints.json" ]]; do kill -0 $pid; sleep 0.1; done
s3=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["s3"])' "$tmp/data/endpoints.json")
export AWS_SHARED_CREDENTIALS_FILE="$tmp/data/aws/credentials" AWS_CONFIG_FILE="$tmp/data/aws/config" AWS_PROFILE=canopy
aws=(/usr/bin/aws --endpoint-url "$s3")

"${aws[@]}" s3 mb s3://load >/dev/null
head -c 4096 /dev/urandom >"$tmp/4k"; head -c 1048576 /dev/urandom >"$tmp/1m"; head -c 65536 /dev/urandom >"$tmp/64k"
"${aws[@]}" s3 cp --only-show-errors "$tmp/4k" s3://load/4k
"${aws[@]}" s3 cp --only-show-errors "$tmp/1m" s3://load/1m

# A presigned PUT signs UNSIGNED-PAYLOAD, so one URL can be replayed with the same body.
put_url=$(/usr/bin/python3 - "$s3" <<'PY'
import sys, botocore.session
s = botocore.session.Session(profile="canopy")
c = s.create_client("s3", endpoint_url=sys.argv[1], config=botocore.config.Config(signature_version="s3v4", s3={"addressing_style": "path"}))
print(c.generate_presigned_url("put_object", Params={"Bucket": "load", "Key": "put-64k"}, ExpiresIn=3600))
PY
)
cat >"$tmp/put.lua" <<LUA
wrk.method = "PUT"
local f = io.open("$tmp/64k", "rb"); wrk.body = f:read("*a"); f:close()
LUA

run() { # label url [wrk args...]
  local label=$1 url=$2; shift 2
  echo "--- $label"
  wrk -t2 -c16 -d"$duration" --latency "$@" "$url" | grep -E 'Requests/sec|Transfer/sec|50%|99%|Non-2xx|Socket errors'
}
{
  echo "S3 load, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores shared by wrk and canopy, wrk -t2 -c16 -d$duration"
  run "GET 4 KiB (presigned)" "$("${aws[@]}" s3 presign s3://load/4k --expires-in 3600)"
  run "GET 1 MiB (presigned)" "$("${aws[@]}" s3 presign s3://load/1m --expires-in 3600)"
  run "PUT 64 KiB (presigned, fsynced commit)" "$put_url" -s "$tmp/put.lua"
} | tee "$out"
