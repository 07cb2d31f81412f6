#!/usr/bin/env python3
"""Lease failover in a real three-controller cloud (deploy/local-cluster), measured, not asserted.

    bench/failover.py [TRIALS]          (default 20; needs the built jar: deploy/canopy builds it)

CANOPY_JAR names another jar (a copy, so that rebuilding during the run changes nothing).

Starts `local-cluster up --controllers 3 --nodes 0` in a temporary folder, then:
  * cold start: stops every controller, starts all three at once (storage keeps running) and
    times process start -> every controller names the same holder (JVM, grid join, quarantine);
  * kill -9: TRIALS times, SIGKILL the holder and time until both others name a new holder;
  * graceful: TRIALS times, SIGTERM the holder (it releases) and time the same.
After each trial the stopped controller is started again from its argv in cluster.json and the
next trial waits until all three agree. Writes bench/results/failover.txt.
"""
import json, os, signal, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRIALS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
OUT = os.path.join(ROOT, "bench", "results", "failover.txt")
JAR = os.environ.get("CANOPY_JAR", os.path.join(ROOT, "deploy", "target", "canopy.jar"))
# ReplicatedStorageIT uses 127.0.9: a bench run beside the IT suite picks another subnet.
SUBNET = os.environ.get("CANOPY_SUBNET", "127.0.9")
OUT = os.environ.get("CANOPY_BENCH_OUT", OUT)


def local_cluster(*args, check=True):
    return subprocess.run(["java", "-Xmx512m", "-jar", JAR, "local-cluster"] + list(args), check=check,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def lease(c):
    try:
        with urllib.request.urlopen(c["lease"], timeout=0.5) as r:
            return json.load(r)
    except Exception:
        return None


def agreed(cs):
    holders = set()
    for c in cs:
        l = lease(c)
        if l is None or l.get("holder") is None:
            return None
        holders.add(l["holder"])
    return holders.pop() if len(holders) == 1 else None


def wait(predicate, timeout, poll=0.01):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = predicate()
        if v:
            return v
        time.sleep(poll)
    raise TimeoutError("condition not met within %s s" % timeout)


def start(c):
    os.makedirs(os.path.dirname(c["log"]), exist_ok=True)
    try:
        os.remove(os.path.join(c["data"], "endpoints.json"))
    except FileNotFoundError:
        pass
    with open(c["log"], "ab") as log:
        p = subprocess.Popen(["setsid"] + c["argv"], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    c["pid"] = p.pid
    return p


def gone(c, procs):
    p = procs.get(c["id"])
    if p is not None and p.pid == c["pid"]:
        return p.poll() is not None  # our child: reaped here, or it would linger as a zombie
    try:
        os.kill(c["pid"], 0)
        return False
    except ProcessLookupError:
        return True


def cluster_up(prefix):
    """A three-controller local cluster without nodes in a new temporary folder; returns the folder."""
    work = tempfile.mkdtemp(prefix=prefix)
    if local_cluster("up", "--dir", work, "--controllers", "3", "--nodes", "0", "--subnet", SUBNET, check=False).returncode:
        local_cluster("down", "--dir", work, check=False)  # what did start (storage) must not linger
        sys.exit("local-cluster up failed; logs in %s/logs" % work)
    return work


def restart_all(cs, procs):
    """Stops every controller, then starts all of them at once; returns the monotonic start time."""
    for c in cs:
        os.kill(c["pid"], signal.SIGTERM)
    for c in cs:
        wait(lambda: gone(c, procs), 60, 0.05)
    t0 = time.monotonic()
    for c in cs:
        procs[c["id"]] = start(c)
    return t0


def cluster_down(work, procs):
    # Controllers this script restarted are not in cluster.json's pids: stop them here.
    for p in procs.values():
        if p.poll() is None:
            p.terminate()
    for p in procs.values():
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
    local_cluster("down", "--dir", work, check=False)


def archive_state(cs):
    """Whether the cluster's processes map a class-data archive: local-cluster passes one only when
    deploy/canopy has left it beside the jar, so a jar copy (CANOPY_JAR) runs without one unless
    an archive is made for it; the figures differ by about a quarter (docs/benchmarks.md)."""
    flags = [a for a in cs[0]["argv"] if a.startswith("-XX:SharedArchiveFile=")]
    return "class-data archive " + flags[0].split("=", 1)[1] if flags else "no class-data archive"


def report(lines, out):
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def main():
    global LOAD
    LOAD = "%.2f" % os.getloadavg()[0]
    work = cluster_up("canopy-failover-")
    cs = json.load(open(os.path.join(work, "cluster.json")))["controllers"]
    procs = {}
    try:
        # Cold start of the controllers (storage up): all three started at once.
        t0 = restart_all(cs, procs)
        # Cold start, phase by phase: every controller serving its endpoints (JVM, grid join),
        # then an agreed holder (quarantine, acquisition).
        wait(lambda: all(os.path.exists(os.path.join(c["data"], "endpoints.json")) for c in cs), 180, 0.05)
        cold_endpoints = time.monotonic() - t0
        wait(lambda: agreed(cs), 180)
        cold = time.monotonic() - t0

        results = {"kill -9": [], "graceful stop": []}
        for kind, sig in (("kill -9", signal.SIGKILL), ("graceful stop", signal.SIGTERM)):
            for _ in range(TRIALS):
                holder = wait(lambda: agreed(cs), 120)
                victim = next(c for c in cs if c["id"] == holder)
                others = [c for c in cs if c["id"] != holder]
                t0 = time.monotonic()
                os.kill(victim["pid"], sig)
                wait(lambda: (agreed(others) or holder) != holder, 60)
                results[kind].append((time.monotonic() - t0) * 1000)
                wait(lambda: gone(victim, procs), 60, 0.05)
                procs[victim["id"]] = start(victim)
                wait(lambda: os.path.exists(os.path.join(victim["data"], "endpoints.json")), 180, 0.1)
                # A restarted acceptor is quarantined (about D_P) and answers no proposer:
                # the next trial starts from a steady group of three.
                wait(lambda: agreed(cs) and all((lease(c) or {}).get("quarantineMs", 1) == 0 for c in cs), 120, 0.1)
    finally:
        cluster_down(work, procs)
    lines = ["Lease failover, 3 controllers as separate JVMs on loopback (local-cluster), %d trials each, %s, %s, load %s at start, %.2f at end" %
             (TRIALS, time.strftime("%Y-%m-%d %H:%M"), archive_state(cs), LOAD, os.getloadavg()[0]),
             "cold start (all controllers started at once, storage up) -> agreed holder: %.1f s (all serving endpoints at %.1f s)" %
             (cold, cold_endpoints)]
    for kind, ms in results.items():
        lines.append("%-14s median %6.0f ms  max %6.0f ms  min %6.0f ms" % (kind, statistics.median(ms), max(ms), min(ms)))
    report(lines, OUT)


if __name__ == "__main__":
    main()
