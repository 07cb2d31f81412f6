#!/usr/bin/python3
"""Idle-connection flood against `canopy dev`, as issue 16's probe did it.

For each jar given (this build, and the peer: a build from before the connection guard), starts
`canopy dev` on ephemeral ports, opens N idle TCP connections (default 30,000, half to its EC2
port and half to its S3 port; more than the server's open-file limit here, 20,000) from 127.0.0.2,
held by worker processes, then checks what a tenant and an operator still get: a signed
DescribeRegions (boto3) and a signed S3 ListBuckets, and /readyz on the management port, each
with a 10 s bound. After 15 s more it counts how many flood sockets the server has closed.
Writes bench/results/connection-flood.json and prints a table.

usage: bench/connection_flood.py [--connections N] NAME=JAR [NAME=JAR ...]
"""
import argparse
import configparser
import json
import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import botocore.session
from botocore.config import Config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start(jar, data):
    log = open(data + ".log", "w")
    proc = subprocess.Popen(
        ["java", "-Xmx512m", "-jar", jar, "dev", "--data", data, "--ec2-port", "0", "--s3-port", "0",
         "--console-port", "0", "--management-port", "0", "--agent-port", "0", "--riak-port", "0"],
        stdout=log, stderr=subprocess.STDOUT)
    endpoints = os.path.join(data, "endpoints.json")
    deadline = time.time() + 120
    while not os.path.exists(endpoints):
        if proc.poll() is not None or time.time() > deadline:
            raise SystemExit("canopy dev did not start: see " + data + ".log")
        time.sleep(0.05)
    time.sleep(0.2)
    with open(endpoints) as f:
        return proc, json.load(f)


def flood_worker(url, count, pipe):
    """Holds `count` idle connections to `url` in a process of its own (each process has its own
    open-file limit), reports how many opened, then, when asked, how many the server has closed."""
    opened, failed = flood(url, count)
    pipe.send((len(opened), failed))
    pipe.recv()
    pipe.send(closed_by_server(opened))
    pipe.recv()
    for s in opened:
        s.close()


FLOOD_SOURCE = "127.0.0.2"
IP_BIND_ADDRESS_NO_PORT = 24  # Linux, <linux/in.h>


def flood(url, count):
    """From FLOOD_SOURCE: the attacker's address, not the tenant's (127.0.0.1), as on a real network."""
    host, port = url.split("//")[1].split(":")
    opened, failed = [], 0
    for _ in range(count):
        try:
            s = socket.socket()
            # Take the port at connect time, per destination: else 30,000 binds use up every
            # ephemeral port of the host, the probe's included.
            s.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
            s.bind((FLOOD_SOURCE, 0))
        except OSError:
            failed += 1
            continue
        s.setblocking(False)
        try:
            s.connect_ex((host, int(port)))
            opened.append(s)
        except OSError:
            failed += 1
            s.close()
    return opened, failed


def closed_by_server(sockets):
    closed = 0
    for s in sockets:
        try:
            if s.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK) == b"":
                closed += 1
        except BlockingIOError:
            pass  # still open, nothing sent: the server holds it
        except OSError:
            closed += 1
    return closed


SOCKETS_PER_WORKER = 8000
SERVER_FILE_LIMIT = None


def split(count):
    """Shares of at most SOCKETS_PER_WORKER, under any one process's open-file limit."""
    return [min(SOCKETS_PER_WORKER, count - i) for i in range(0, count, SOCKETS_PER_WORKER)]


def timed(call):
    started = time.monotonic()
    try:
        call()
        return {"ok": True, "seconds": round(time.monotonic() - started, 3)}
    except Exception as e:  # the figure is what the client saw, whatever it was
        return {"ok": False, "seconds": round(time.monotonic() - started, 3), "error": type(e).__name__ + ": " + str(e)[:160]}


def clients(endpoints, data):
    """Clients with connection pools of their own (the flood's sockets live in worker processes)."""
    creds = configparser.ConfigParser()
    creds.read(os.path.join(data, "aws", "credentials"))
    profile = creds["canopy"]
    config = Config(connect_timeout=10, read_timeout=10, retries={"max_attempts": 1})
    session = botocore.session.get_session()
    keys = dict(aws_access_key_id=profile["aws_access_key_id"], aws_secret_access_key=profile["aws_secret_access_key"],
                region_name=endpoints["region"], config=config)
    ec2 = session.create_client("ec2", endpoint_url=endpoints["ec2"], **keys)
    s3 = session.create_client("s3", endpoint_url=endpoints["s3"], **keys)
    return ec2, s3


def probe(endpoints, ec2, s3):
    return {
        "ec2 DescribeRegions": timed(lambda: ec2.describe_regions()),
        "s3 ListBuckets": timed(lambda: s3.list_buckets()),
        "management /readyz": timed(lambda: urllib.request.urlopen(endpoints["management"] + "/readyz", timeout=10).read()),
    }


def run(name, jar, count):
    data = tempfile.mkdtemp(prefix="flood-") + "/data"
    proc, endpoints = start(jar, data)
    result = {"build": name, "jar": jar, "connections_per_port": count, "flood from": FLOOD_SOURCE}
    workers = []
    try:
        ec2, s3 = clients(endpoints, data)
        result["before"] = probe(endpoints, ec2, s3)
        for port in ("ec2", "s3"):
            for share in split(count):
                ours, theirs = multiprocessing.Pipe()
                worker = multiprocessing.Process(target=flood_worker, args=(endpoints[port], share, theirs))
                worker.start()
                workers.append((port, worker, ours))
        for port, _, pipe in workers:
            opened, failed = pipe.recv()
            result[port + " sockets opened"] = result.get(port + " sockets opened", 0) + opened
            result[port + " sockets the client could not open"] = result.get(port + " sockets the client could not open", 0) + failed
        time.sleep(2)
        # New clients: the first ones' kept-alive connections would dodge the flood.
        ec2, s3 = clients(endpoints, data)
        result["during"] = probe(endpoints, ec2, s3)
        time.sleep(15)
        for _, _, pipe in workers:
            pipe.send("check")
        result["flood sockets closed by the server after 17 s"] = sum(pipe.recv() for _, _, pipe in workers)
        result["process alive"] = proc.poll() is None
    finally:
        for _, worker, pipe in workers:
            pipe.send("stop")
            worker.join(30)
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=30000)
    parser.add_argument("builds", nargs="+", help="NAME=JAR")
    args = parser.parse_args()
    wanted = args.connections + 1024
    try:  # root may raise the hard limit too
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, wanted))
    except (ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    global SERVER_FILE_LIMIT
    SERVER_FILE_LIMIT = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    print("open-file limit of each process (the server's too):", SERVER_FILE_LIMIT)
    results = [run(*b.split("=", 1), args.connections // 2) for b in args.builds]
    for r in results:
        r["server open-file limit"] = SERVER_FILE_LIMIT
    out = os.path.join(ROOT, "bench", "results", "connection-flood.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump({"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cores": os.cpu_count(), "runs": results}, f, indent=2)
    for r in results:
        print(f"== {r['build']}: {r['connections_per_port']} idle connections to EC2 and as many to S3, from {FLOOD_SOURCE}; calls from 127.0.0.1")
        for phase in ("before", "during"):
            for call, outcome in r[phase].items():
                state = f"{outcome['seconds']} s" if outcome["ok"] else f"FAILED after {outcome['seconds']} s ({outcome['error']})"
                print(f"   {phase:6} {call:22} {state}")
        print(f"   flood sockets closed by the server after 17 s: {r['flood sockets closed by the server after 17 s']}"
              f" of {r['ec2 sockets opened'] + r['s3 sockets opened']}; process alive: {r['process alive']}")
    print("results:", out)


if __name__ == "__main__":
    sys.exit(main())
