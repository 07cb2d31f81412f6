#!/usr/bin/env python3
"""Cold start of three controllers (deploy/local-cluster), measured, not asserted.

    bench/cold_start.py [RUNS]          (default 5; needs the built jar: deploy/canopy builds it)

Starts `local-cluster up --controllers 3 --nodes 0` in a temporary folder, then RUNS times: stops
every controller, starts all three at once (storage keeps running) and times process start ->
  * serving: every controller's GET /health on its management port answers 200 and its EC2
    endpoint answers DescribeRegions (boto3, the tenant's keys from `canopy init`);
  * holder: every controller's GET /lease names the same holder.
The controllers have run before, so each start is a restart of its lease acceptor: it waits out
its quarantine (docs/paxoslease.md) before it may grant, and that is part of the figure.
CANOPY_JAR runs another build (a copy: it maps a class-data archive only if one named like it, e.g.
canopy.jsa, newer than it, lies beside it; the report says which), CANOPY_SUBNET moves the cluster off 127.0.9,
CANOPY_BENCH_OUT names another results file (default bench/results/cold-start.txt).
"""
import configparser, glob, json, os, statistics, sys, time, urllib.request

import boto3
from botocore.config import Config

# failover.py's helpers (local-cluster, process start and stop, lease polling) and settings.
import failover
from failover import agreed, archive_state, cluster_down, cluster_up, report, restart_all

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
OUT = os.environ.get("CANOPY_BENCH_OUT", os.path.join(failover.ROOT, "bench", "results", "cold-start.txt"))
REGION = "canopy-1"


def healthy(c):
    try:
        with urllib.request.urlopen(c["management"] + "/health", timeout=0.5) as r:
            return r.status == 200
    except Exception:
        return False


def ec2_client(c, work):
    creds = configparser.ConfigParser()
    creds.read(glob.glob(os.path.join(work, "**", "aws", "credentials"), recursive=True)[0])
    profile = creds["canopy"]
    return boto3.client("ec2", endpoint_url=c["ec2"], region_name=REGION,
                        aws_access_key_id=profile["aws_access_key_id"], aws_secret_access_key=profile["aws_secret_access_key"],
                        config=Config(retries={"max_attempts": 1}, connect_timeout=0.5, read_timeout=2))


def answers_regions(client):
    try:
        return len(client.describe_regions()["Regions"]) > 0
    except Exception:
        return False


def cold_start(cs, clients, procs):
    """One cold start: (seconds to every controller serving, seconds to an agreed holder)."""
    t0 = restart_all(cs, procs)
    serving = holder = None
    end = t0 + 180
    while (serving is None or holder is None) and time.monotonic() < end:
        if serving is None and all(healthy(c) and answers_regions(clients[c["id"]]) for c in cs):
            serving = time.monotonic() - t0
        if holder is None and agreed(cs):
            holder = time.monotonic() - t0
        time.sleep(0.05)
    if serving is None or holder is None:
        raise TimeoutError("the controllers did not all serve and agree on a holder within 180 s")
    return serving, holder


def main():
    load = "%.2f" % os.getloadavg()[0]
    work = cluster_up("canopy-cold-start-")
    cs = json.load(open(os.path.join(work, "cluster.json")))["controllers"]
    clients = {c["id"]: ec2_client(c, work) for c in cs}
    procs = {}
    runs = []
    try:
        for _ in range(RUNS):
            runs.append(cold_start(cs, clients, procs))
    finally:
        cluster_down(work, procs)
    serving = [s for s, _ in runs]
    holder = [h for _, h in runs]
    lines = ["Cold start of 3 controllers (local-cluster, storage up), %d runs, %s, %s, %s, load %s at start, %.2f at end" %
             (RUNS, time.strftime("%Y-%m-%d %H:%M"), failover.JAR, archive_state(cs), load, os.getloadavg()[0]),
             "serving (every /health 200 and DescribeRegions) (s): %s  median %.1f" % (" ".join("%.1f" % s for s in serving), statistics.median(serving)),
             "agreed holder (s):                                 %s  median %.1f" % (" ".join("%.1f" % h for h in holder), statistics.median(holder))]
    report(lines, OUT)

if __name__ == "__main__":
    main()
