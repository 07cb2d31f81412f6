#!/usr/bin/env bash
# A 5 GiB object through S3 with the JVM heap capped at 256 MiB: `canopy dev` on a fresh data
# folder under /tmp, then (1) `aws s3 cp` up (multipart) and down (ranged GETs in parallel) and
# (2) one single PUT of the whole file (boto3 put_object with a file object: 5 GiB is S3's
# single-PUT maximum) and one single GET of it (`aws s3api get-object`). Each download is
# compared with the source by SHA-256. Records wall time and MB/s per direction and the largest
# heap left after a GC (from the -Xlog:gc file) in bench/results/s3-big-object.json.
#
# A bench, not a CI test: it moves 20 GiB through one process and takes minutes. Needs the
# built jar, /usr/bin/aws (CLI v2) and python3-boto3. Disk: about 20 GiB under $BIG_DIR (/tmp),
# deleted at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${CANOPY_JAR:-$root/deploy/target/canopy.jar}" # another jar: compare builds
out="${BIG_OUT:-$root/bench/results/s3-big-object.json}" # another file: two runs side by side
size="${BIG_SIZE:-5G}"
heap="${BIG_HEAP:-256m}"
mkdir -p "$(dirname "$out")"

tmp="$(mktemp -d "${BIG_DIR:-/tmp}/s3-big-object.XXXXXX")"
java "-Xmx$heap" "-Xlog:gc:file=$tmp/gc.log" -XX:+HeapDumpOnOutOfMemoryError "-XX:HeapDumpPath=$tmp/heap.hprof" \
  -jar "$jar" dev --data "$tmp/data" --ec2-port 0 --s3-port 0 --console-port 0 --management-port 0 --agent-port 0 --riak-port 0 \
  >"$tmp/canopy.log" 2>&1 &
pid=$!
cleanup() {
  local status=$1
  kill -TERM $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  if [[ $status -ne 0 ]]; then
    # Keep the logs of a failed run (an OOM, a mismatch) next to the results; the data goes either way.
    cp "$tmp/gc.log" "${out%.json}-failed-gc.log" 2>/dev/null || true
    cp "$tmp/canopy.log" "${out%.json}-failed-canopy.log" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap 'cleanup $?' EXIT
until [[ -f "$tmp/data/endpoints.json" ]]; do kill -0 $pid; sleep 0.2; done
s3=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["s3"])' "$tmp/data/endpoints.json")
export AWS_SHARED_CREDENTIALS_FILE="$tmp/data/aws/credentials" AWS_CONFIG_FILE="$tmp/data/aws/config" AWS_PROFILE=canopy
aws=(/usr/bin/aws --endpoint-url "$s3")

echo "s3-big-object: generating $size of random bytes" >&2
head -c "$size" /dev/urandom >"$tmp/source"
bytes=$(stat -c %s "$tmp/source")
source_sha=$(sha256sum "$tmp/source" | cut -d' ' -f1)
"${aws[@]}" s3 mb s3://big >/dev/null

now() { date +%s.%N; }
results="$tmp/results.txt"
: >"$results"
measure() { # label command...: runs it, appends "label seconds gc-log-first-line gc-log-end-line" to the results
  local label=$1; shift
  echo "s3-big-object: $label" >&2
  local start end from
  from=$(wc -l <"$tmp/gc.log")
  start=$(now)
  "$@"
  end=$(now)
  echo "$label $(python3 -c "print(f'{$end - $start:.2f}')") $from $(wc -l <"$tmp/gc.log")" >>"$results"
}
check() { # file: compares with the source, then deletes it
  local sha
  sha=$(sha256sum "$1" | cut -d' ' -f1)
  rm -f "$1"
  if [[ "$sha" != "$source_sha" ]]; then
    echo "s3-big-object: SHA-256 of $1 differs from the source" >&2
    exit 1
  fi
}

measure multipart_upload "${aws[@]}" s3 cp --only-show-errors "$tmp/source" s3://big/multipart
measure multipart_download "${aws[@]}" s3 cp --only-show-errors s3://big/multipart "$tmp/down-multipart"
check "$tmp/down-multipart"
"${aws[@]}" s3 rm --only-show-errors s3://big/multipart

measure single_put python3 - "$s3" "$tmp/source" <<'PY'
import sys, boto3, botocore.config
endpoint, path = sys.argv[1], sys.argv[2]
s3 = boto3.session.Session(profile_name="canopy").client(
    "s3", endpoint_url=endpoint,
    config=botocore.config.Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                                  read_timeout=600))
with open(path, "rb") as body:
    s3.put_object(Bucket="big", Key="single", Body=body)
PY
measure single_get "${aws[@]}" s3api get-object --bucket big --key single "$tmp/down-single" >/dev/null
check "$tmp/down-single"

# Heap after each evacuating collection ("Pause Young ... 180M->42M(256M)", or a full GC): the
# largest "after" value is the live data plus what the young GC kept. Remark and Cleanup pauses
# are left out: they free no young regions, so their "after" counts garbage still in place.
python3 - "$results" "$tmp/gc.log" "$bytes" "$size" "$heap" "$out" <<'PY'
import json, re, sys, datetime
results, gc_log, size_bytes, size, heap, out = sys.argv[1:]
size_bytes = int(size_bytes)
def gc_figures(lines):
    after = []
    humongous = 0
    for line in lines:
        m = re.search(r"Pause (?:Young|Full).* (\d+)M->(\d+)M\((\d+)M\)", line)
        if m:
            after.append(int(m.group(2)))
        if "Humongous Allocation" in line and "Pause" in line:
            humongous += 1
    return after, humongous
log = open(gc_log).readlines()
after, humongous = gc_figures(log)
runs = {}
for line in open(results):
    label, seconds, first, end = line.split()
    seconds = float(seconds)
    phase_after, phase_humongous = gc_figures(log[int(first):int(end)])
    runs[label] = {"seconds": seconds, "MBps": round(size_bytes / 1e6 / seconds, 1),
                   "heap_after_gc_max_mib": max(phase_after) if phase_after else None,
                   "gc_humongous_allocation_pauses": phase_humongous}
report = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "object_bytes": size_bytes,
    "heap_max": heap,
    "sha256_match": True,
    "heap_after_gc_max_mib": max(after) if after else None,
    "gc_pauses_evacuating": len(after),
    "gc_humongous_allocation_pauses": humongous,
    "runs": runs,
}
json.dump(report, open(out, "w"), indent=2)
print(json.dumps(report, indent=2))
PY
