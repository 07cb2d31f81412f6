#!/usr/bin/env bash
# bench/s3-compare.sh with a third target: the S3 endpoint of a multi-process cloud of three
# storage nodes (N=3, one controller, no node agents) started here with local-cluster, its CPU
# charged to all four processes. Same rows, same run, so its figures stand beside the cloud in a
# box's and S3Proxy's. Needs what s3-compare.sh needs; S3_COMPARE_* variables pass through.
#   S3_COMPARE_CLUSTER_SUBNET  loopback subnet of the cluster (default 127.0.11)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
subnet="${S3_COMPARE_CLUSTER_SUBNET:-127.0.11}"
dir="$(mktemp -d)"
down() {
  "$root/deploy/local-cluster" down --dir "$dir" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap down EXIT

"$root/deploy/local-cluster" up --dir "$dir" --controllers 1 --storage 3 --nodes 0 --subnet "$subnet" >&2
read -r endpoint access secret pids < <(/usr/bin/python3 - "$dir" <<'PY'
import configparser, json, sys
cluster = json.load(open(f"{sys.argv[1]}/cluster.json"))
creds = configparser.ConfigParser()
creds.read(cluster["credentials"])
section = creds[creds.sections()[0]]
pids = [str(p["pid"]) for p in cluster["storage"] + cluster["controllers"]]
print(cluster["storage"][0]["s3"], section["aws_access_key_id"], section["aws_secret_access_key"], ",".join(pids))
PY
)
S3_COMPARE_EXTRA_NAME=cluster-n3 S3_COMPARE_EXTRA_ENDPOINT="$endpoint" S3_COMPARE_EXTRA_ACCESS_KEY="$access" \
  S3_COMPARE_EXTRA_SECRET_KEY="$secret" S3_COMPARE_EXTRA_PIDS="${pids//,/ }" \
  "$root/bench/s3-compare.sh"
