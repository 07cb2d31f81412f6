#!/usr/bin/python3
"""Load on a Riak HTTP interface: ops/s and p50/p99 of puts and gets, as issue 12's benchmark asks.

Drives `PUT /buckets/B/keys/K` and `GET /buckets/B/keys/K` of any Riak-compatible HTTP endpoint
(Canopy's storage node, or a real Riak for comparison) from C concurrent clients (default 16),
for each value size (default 1 KiB and 1 MiB). Each client is a process of its own holding one
keep-alive connection and sending one request at a time, so Python's global lock does not cap
the load and C is the number of requests in flight. Every phase runs for --duration seconds; the
first --warmup seconds are not counted. Before the gets, the keys they read are written once.

Puts overwrite a bounded set of keys per client (--keys), so the store does not grow with the
run; the bucket is first set to allow_mult=false (Riak's default) so that overwrites without a
vector clock do not pile up siblings. Extra quorum parameters (--r, --w, --dw) go on every request.

Writes the results as JSON (--out, default bench/results/riak-load.json) and prints a table.
The load generator shares the machine's cores with the server: the JSON records the CPU time
the clients used, so that a low figure can be told apart from a saturated generator. For scale:
against a trivial in-memory Vert.x server on this project's shared 2-core machine, 16 clients
offered 5,400-12,800 1 KiB puts/s and 11,500-13,000 gets/s across runs (2026-12-05), using
0.7-1.3 cores for themselves (about 0.1-0.2 ms of CPU per request).

usage: bench/riak_load.py [options] URL        e.g. bench/riak_load.py http://127.0.0.1:8098
"""
import argparse
import base64
import http.client
import json
import multiprocessing
import os
import platform
import random
import resource
import socket
import ssl
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OK_PUT = {200, 201, 204}
# 300: the key has siblings; still an answer from the store.
OK_GET = {200, 300}
ERROR_SAMPLES_MAX = 5
# Clients start together this long after the parent forked them (every process is up by then).
START_DELAY_S = 1.0


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="ops/s and latency percentiles of Riak HTTP puts and gets at C concurrent clients",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("url", help="base URL of the Riak HTTP interface, e.g. http://127.0.0.1:8098")
    p.add_argument("--clients", type=int, default=16, help="concurrent clients (one request in flight each)")
    p.add_argument("--duration", type=float, default=15.0, help="seconds per phase, warm-up included")
    p.add_argument("--warmup", type=float, default=3.0, help="seconds at the start of each phase not counted")
    p.add_argument("--sizes", default="1024,1048576", help="value sizes in bytes, comma-separated")
    p.add_argument("--ops", default="put,get", help="phases to run for each size, in order: put, get")
    p.add_argument("--bucket", default="bench", help="bucket the keys live in")
    p.add_argument("--keys", type=int, default=64, help="keys per client (puts overwrite them, gets read them)")
    p.add_argument("--r", help="r on every get (one, quorum, all or a number)")
    p.add_argument("--w", help="w on every put")
    p.add_argument("--dw", help="dw on every put")
    p.add_argument("--no-props", action="store_true", help="do not set the bucket's allow_mult=false first")
    p.add_argument("--user", help="HTTP basic user (an admin access key), sent only with --password")
    p.add_argument("--password", help="HTTP basic password (the secret key)")
    p.add_argument("--cacert", help="CA certificate (PEM) to trust for an https URL")
    p.add_argument("--insecure", action="store_true", help="https without checking the server's certificate")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds before one request counts as failed")
    p.add_argument("--label", default="", help="free text stored with the results, e.g. '3 nodes N=3 W=2'")
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "riak-load.json"), help="JSON results file")
    args = p.parse_args(argv)
    url = urllib.parse.urlsplit(args.url)
    if url.scheme not in ("http", "https") or not url.hostname:
        p.error("URL must be http://host:port or https://host:port, not " + args.url)
    if args.clients < 1 or args.keys < 1:
        p.error("--clients and --keys must be at least 1")
    if not 0 <= args.warmup < args.duration:
        p.error("--warmup must be at least 0 and shorter than --duration")
    try:
        args.size_list = [int(s) for s in args.sizes.split(",") if s]
    except ValueError:
        p.error("--sizes must be whole numbers of bytes, comma-separated")
    args.op_list = [o for o in args.ops.split(",") if o]
    if not args.size_list or not args.op_list or any(o not in ("put", "get") for o in args.op_list):
        p.error("--sizes needs at least one size and --ops only put and get")
    if (args.user is None) != (args.password is None):
        p.error("--user and --password go together")
    return args


class Endpoint:
    """Where and how to connect; picklable, so each client process makes its own connection."""

    def __init__(self, args):
        url = urllib.parse.urlsplit(args.url)
        self.https = url.scheme == "https"
        self.host = url.hostname
        self.port = url.port or (443 if self.https else 80)
        self.prefix = url.path.rstrip("/")
        self.timeout = args.timeout
        self.cacert = args.cacert
        self.insecure = args.insecure
        self.headers = {}
        if args.user is not None:
            token = base64.b64encode((args.user + ":" + args.password).encode()).decode()
            self.headers["Authorization"] = "Basic " + token

    def connect(self):
        if self.https:
            context = ssl.create_default_context(cafile=self.cacert)
            if self.insecure:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=context)
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        conn.connect()
        # Small requests go out at once: Nagle's algorithm with delayed ACKs would add ~40 ms to some.
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def key_path(self, bucket, key, query):
        path = "%s/buckets/%s/keys/%s" % (self.prefix, urllib.parse.quote(bucket, safe=""), urllib.parse.quote(key, safe=""))
        return path + ("?" + urllib.parse.urlencode(query) if query else "")


class Client:
    """One keep-alive connection, reopened after a failure; one request at a time."""

    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        """Returns (status, body bytes); raises OSError or http.client.HTTPException on a failure."""
        all_headers = dict(self.endpoint.headers)
        all_headers.update(headers or {})
        try:
            if self.conn is None:
                self.conn = self.endpoint.connect()
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
            data = response.read()
            if response.will_close:
                self.close()
            return response.status, data
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def key_name(size, client, i):
    return "k%d-c%d-%d" % (size, client, i)


def put_query(args):
    return {k: v for k, v in (("w", args.w), ("dw", args.dw)) if v is not None}


def get_query(args):
    return {"r": args.r} if args.r is not None else {}


def phase_worker(args, endpoint, op, size, client_index, start_at, results):
    """One client: runs `op` from start_at for args.duration seconds, then reports what it measured."""
    client = Client(endpoint)
    value = os.urandom(size)
    rng = random.Random(client_index)
    counted_from = start_at + args.warmup
    end_at = start_at + args.duration
    latencies_us, statuses, errors, samples = [], {}, 0, []
    query = put_query(args) if op == "put" else get_query(args)
    ok = OK_PUT if op == "put" else OK_GET
    i = 0
    while time.time() < start_at:
        time.sleep(0.001)
    while True:
        now = time.time()
        if now >= end_at:
            break
        key = key_name(size, client_index, i % args.keys if op == "put" else rng.randrange(args.keys))
        i += 1
        path = endpoint.key_path(args.bucket, key, query)
        began = time.perf_counter()
        try:
            if op == "put":
                status, body = client.request("PUT", path, value, {"Content-Type": "application/octet-stream"})
            else:
                status, body = client.request("GET", path)
            failure = None if status in ok else "HTTP %d: %s" % (status, body[:120].decode("utf-8", "replace"))
        except (OSError, http.client.HTTPException) as e:
            status, failure = "error", "%s: %s" % (type(e).__name__, e)
        elapsed_us = (time.perf_counter() - began) * 1e6
        if op == "get" and failure is None and status == 200 and len(body) != size:
            failure = "GET returned %d bytes, expected %d" % (len(body), size)
        if now < counted_from:
            continue
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if failure is None:
            latencies_us.append(elapsed_us)
        else:
            errors += 1
            if len(samples) < ERROR_SAMPLES_MAX:
                samples.append(failure)
    client.close()
    results.put({"latencies_us": latencies_us, "statuses": statuses, "errors": errors, "error_samples": samples})


def preload(args, endpoint, size):
    """Writes every key the gets of this size read, once, from one connection."""
    client = Client(endpoint)
    value = os.urandom(size)
    failures = 0
    for c in range(args.clients):
        for i in range(args.keys):
            try:
                status, _ = client.request("PUT", endpoint.key_path(args.bucket, key_name(size, c, i), put_query(args)),
                                           value, {"Content-Type": "application/octet-stream"})
                failures += status not in OK_PUT
            except (OSError, http.client.HTTPException):
                failures += 1
    client.close()
    if failures:
        print("warning: %d of %d preload puts of %d bytes failed; gets of those keys will count as errors"
              % (failures, args.clients * args.keys, size), file=sys.stderr)


def set_props(args, endpoint):
    client = Client(endpoint)
    path = "%s/buckets/%s/props" % (endpoint.prefix, urllib.parse.quote(args.bucket, safe=""))
    try:
        status, body = client.request("PUT", path, json.dumps({"props": {"allow_mult": False}}).encode(),
                                      {"Content-Type": "application/json"})
        if status not in (200, 204):
            print("warning: setting allow_mult=false gave HTTP %d: %s" % (status, body[:200]), file=sys.stderr)
    except (OSError, http.client.HTTPException) as e:
        raise SystemExit("cannot reach %s: %s" % (args.url, e))
    finally:
        client.close()


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, int(-(-fraction * len(sorted_values) // 1)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def run_phase(args, endpoint, op, size):
    results = multiprocessing.Queue()
    start_at = time.time() + START_DELAY_S
    workers = [multiprocessing.Process(target=phase_worker, args=(args, endpoint, op, size, c, start_at, results))
               for c in range(args.clients)]
    for w in workers:
        w.start()
    # Read before joining: a child cannot exit while its result is still in the pipe.
    reports = [results.get() for _ in workers]
    for w in workers:
        w.join()
    latencies = sorted(l for r in reports for l in r["latencies_us"])
    statuses = {}
    for r in reports:
        for status, count in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    window_s = args.duration - args.warmup

    def ms(value):
        return None if value is None else round(value / 1000.0, 3)

    return {
        "op": op,
        "value_bytes": size,
        "clients": args.clients,
        "measured_s": window_s,
        "ops": len(latencies),
        "ops_per_s": round(len(latencies) / window_s, 1),
        "mb_per_s": round(len(latencies) * size / window_s / 1e6, 2),
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p99_ms": ms(percentile(latencies, 0.99)),
        "p999_ms": ms(percentile(latencies, 0.999)),
        "max_ms": ms(latencies[-1] if latencies else None),
        "errors": sum(r["errors"] for r in reports),
        "statuses": statuses,
        "error_samples": [s for r in reports for s in r["error_samples"]][:ERROR_SAMPLES_MAX],
    }


def main(argv):
    args = parse_args(argv)
    endpoint = Endpoint(args)
    if not args.no_props:
        set_props(args, endpoint)
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    runs = []
    for size in args.size_list:
        if "get" in args.op_list:
            preload(args, endpoint, size)
        for op in args.op_list:
            cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            run = run_phase(args, endpoint, op, size)
            cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            run["client_cpu_s"] = round((cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime), 2)
            runs.append(run)
            print("%-4s %9d B  %9.1f ops/s  p50 %8s ms  p99 %8s ms  errors %d  (clients used %.1f CPU s in %.0f s)"
                  % (op, size, run["ops_per_s"], run["p50_ms"], run["p99_ms"], run["errors"], run["client_cpu_s"], args.duration),
                  flush=True)
    result = {
        "url": args.url,
        "label": args.label,
        "started": started,
        "clients": args.clients,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "keys_per_client": args.keys,
        "quorum": {"r": args.r, "w": args.w, "dw": args.dw},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "host": platform.node()},
        "runs": runs,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print("results written to " + args.out)
    return 1 if any(r["errors"] for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
