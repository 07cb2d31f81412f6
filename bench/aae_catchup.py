#!/usr/bin/python3
"""How long active anti-entropy takes to bring back a storage node that lost its disk.

Issue 12 asks for the time anti-entropy needs to put 100,000 keys back in sync between real
processes. This harness:

 1. starts `deploy/local-cluster up --storage 3 --controllers 1 --nodes 0` (its own loopback
    subnet, --subnet) with every storage process's `--anti-entropy-round-seconds` = --round;
 2. writes --keys keys of --size bytes through storage 1's Riak HTTP interface (w=all: every
    replica has every key before the loss);
 3. kills storage 3 with kill -9, deletes its replicas (DATA/kv: a lost disk; the ring file
    stays) and starts it again from the command line cluster.json recorded;
 4. watches the three nodes' `aae_keys_repaired` (each key storage 3 lacks is merged once by
    some exchange) from the restarted node's readiness; catch-up ends at the last increase,
    once a whole round plus a margin has passed without one. No read touches the data
    meanwhile, so read repair plays no part; hinted handoff has none either (nothing was
    written while the node was down);
 5. checks it: kills storages 1 and 2 and reads every key from storage 3 alone with r=1.

With three nodes and N=3 almost every key has a replica on storage 3. Not all: 64 partitions do
not divide among 3 nodes so that every 3 consecutive ones have 3 owners (partitions 63 and 0
share one), so the keys of one preference list in 64 keep two of their three replicas on one
node and none on storage 3 (Riak's target_n_val shortfall). Those are reported apart: the
ring's `GET /canopy/ring` shows which owner holds two neighbouring partitions.
Writes results as JSON (--out) and prints them. Stops the cluster at the end.

usage: bench/aae_catchup.py [--keys 100000] [--round 600] [--subnet 127.0.12] [--dir /tmp/aae-bench]
"""
import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WRITERS = 16


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--keys", type=int, default=100_000, help="keys written, then lost by storage 3")
    p.add_argument("--size", type=int, default=100, help="value size in bytes")
    p.add_argument("--round", type=int, default=600, help="each storage process's anti-entropy round in seconds")
    p.add_argument("--subnet", default="127.0.12", help="loopback subnet of the cluster")
    p.add_argument("--dir", default="/tmp/aae-bench", help="the cluster's folder (emptied first)")
    p.add_argument("--timeout", type=float, default=3600, help="give up after this many seconds of catch-up")
    p.add_argument("--out", default=os.path.join(ROOT, "bench/results/aae-catchup.json"))
    return p.parse_args(argv)


def canopy(*args):
    subprocess.run([os.path.join(ROOT, "deploy/canopy"), *args], check=True, stdout=subprocess.DEVNULL)


def request(url, method="GET", path="/", body=None, timeout=60):
    host_port = url.split("//", 1)[1]
    host, port = host_port.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/octet-stream"} if body else {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def stats(url):
    status, body = request(url, path="/stats", timeout=10)
    return json.loads(body) if status == 200 else None


def write_keys(url, first, last, size, failures):
    host, port = url.split("//", 1)[1].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    value = os.urandom(size)
    for i in range(first, last):
        for attempt in range(5):
            try:
                conn.request("PUT", "/buckets/aae/keys/k%d?w=all&dw=all" % i, body=value,
                             headers={"Content-Type": "application/octet-stream"})
                r = conn.getresponse()
                r.read()
                if r.status in (200, 204):
                    break
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=60)
        else:
            failures.value += 1


def read_keys(url, first, last, missing):
    host, port = url.split("//", 1)[1].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    for i in range(first, last):
        conn.request("GET", "/buckets/aae/keys/k%d?r=1" % i)
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            missing.value += 1


def spread(target, url, keys, *extra):
    procs = []
    per = (keys + WRITERS - 1) // WRITERS
    for w in range(WRITERS):
        p = multiprocessing.Process(target=target, args=(url, w * per, min(keys, (w + 1) * per), *extra))
        p.start()
        procs.append(p)
    for p in procs:
        p.join()


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def kill9(pid):
    os.kill(pid, signal.SIGKILL)
    while alive(pid):
        time.sleep(0.05)


def main(argv):
    args = parse_args(argv)
    shutil.rmtree(args.dir, ignore_errors=True)
    result = {"keys": args.keys, "value_bytes": args.size, "round_seconds": args.round,
              "cores": os.cpu_count(), "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    canopy("local-cluster", "up", "--dir", args.dir, "--storage", "3", "--controllers", "1", "--nodes", "0",
           "--subnet", args.subnet, "--anti-entropy-round-seconds", str(args.round))
    try:
        cluster = json.load(open(os.path.join(args.dir, "cluster.json")))
        storage = cluster["storage"]
        riak = [s["riak"] for s in storage]

        started = time.monotonic()
        failures = multiprocessing.Value("l", 0)
        spread(write_keys, riak[0], args.keys, args.size, failures)
        result["write_seconds"] = round(time.monotonic() - started, 1)
        result["write_failures"] = failures.value

        lost = storage[2]
        kill9(lost["pid"])
        shutil.rmtree(os.path.join(lost["data"], "kv"))
        os.remove(os.path.join(lost["data"], "endpoints.json"))
        before = sum(stats(u)["aae_keys_repaired"] for u in riak[:2])
        log = open(lost["log"], "a")
        proc = subprocess.Popen(lost["argv"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        while not os.path.exists(os.path.join(lost["data"], "endpoints.json")):
            if proc.poll() is not None:
                sys.exit("storage 3 did not restart; see " + lost["log"])
            time.sleep(0.1)
        ready = time.monotonic()
        samples = []
        last, last_change = -1, 0.0
        quiet = args.round * 1.2 + 30
        while True:
            repaired = sum(stats(u)["aae_keys_repaired"] for u in riak) - before
            elapsed = time.monotonic() - ready
            samples.append([round(elapsed, 1), repaired])
            if repaired != last:
                last, last_change = repaired, elapsed
            if elapsed - last_change > quiet or elapsed > args.timeout:
                break
            time.sleep(1)
        result["catchup_seconds"] = round(last_change, 1)
        result["keys_repaired"] = repaired
        result["exchanges"] = sum(stats(u)["aae_exchanges"] for u in riak)
        result["progress"] = samples[:: max(1, len(samples) // 40)]

        kill9(storage[0]["pid"])
        kill9(storage[1]["pid"])
        missing = multiprocessing.Value("l", 0)
        spread(read_keys, riak[2], args.keys, missing)
        result["missing_on_storage_3_alone"] = missing.value
        ring = json.loads(request(riak[2], path="/canopy/ring", timeout=10)[1])
        owners = {}
        for m in ring["members"]:
            for p in m["partitions"]:
                owners[p] = m["id"]
        q = ring["partitions"]
        result["preference_lists_without_storage_3"] = sum(
            1 for h in range(q) if "3" not in {owners[(h + i) % q] for i in range(3)})
    finally:
        subprocess.run([os.path.join(ROOT, "deploy/local-cluster"), "down", "--dir", args.dir], stdout=subprocess.DEVNULL)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps({k: v for k, v in result.items() if k != "progress"}, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
