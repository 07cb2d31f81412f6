#!/usr/bin/python3
"""Same S3 load against several servers, row by row: the driver behind bench/s3-compare.sh.

Usage: s3_compare.py TARGETS_JSON RESULTS_JSON RESULTS_MD

TARGETS_JSON is a list of {name, endpoint, access_key, secret_key, region, pids, version}; pids
are the server processes whose CPU (utime+stime of them and their descendants, /proc/PID/stat)
is charged to each row, empty when unknown. Every row runs on every target back to back (targets
interleaved, so a change in the shared machine's load hits all of them alike): a warm-up run of
wrk that is thrown away, then a measured run of the same command. wrk replays presigned URLs
(bench/s3_compare.lua), so every request carries a full SigV4 signature the server checks, and
all targets get byte-identical request shapes.

Environment (durations in wrk's syntax):
  S3_COMPARE_WARMUP          warm-up per row and target (default 2s)
  S3_COMPARE_DURATION        measured time per row and target (default 6s)
  S3_COMPARE_DURATION_LARGE  measured time for 64 MiB rows, whose requests take seconds (default 12s)
  S3_COMPARE_WARMUP_PASS     a first pass over every row and target before any measurement, so
                             the JIT has seen every path before the first measured row (default 1s)
  S3_COMPARE_ROWS            regular expression: run only rows whose name matches (default all)
"""
import collections
import json
import os
import re
import subprocess
import sys
import time

import s3_compare_report
import s3_compare_setup as setup

HERE = os.path.dirname(os.path.abspath(__file__))
WRK_SCRIPT = os.path.join(HERE, "s3_compare.lua")
CONCURRENCIES = (1, 16)
WRK_THREADS_MAX = 2  # the machine's cores; more threads than cores only adds switching
WRK_TIMEOUT = "120s"  # a 64 MiB request at 16-way concurrency takes seconds
READY_BODY_BYTES_PER_THREAD_MAX = 512 * 1024 * 1024  # wrk keeps each formatted PUT in memory
# Before each run, every server must be quiet: wrk abandons its in-flight requests when its time
# is up (a 64 MiB PUT, a slow LIST), and a server still finishing them would charge the next run.
QUIET_CORES_MAX = 0.15
QUIET_SAMPLE_S = 0.5
QUIET_WAIT_S_MAX = 30
JIT_THREAD = re.compile(r"C[12] CompilerThre")  # HotSpot's compiler threads, as /proc truncates them
THREAD_GROUPS_REPORTED = 6  # the busiest thread names per row in the JSON
IDLE_SAMPLE_S = 5  # each server's CPU with no load, reported beside the rows it inflates at low rates
CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def seconds(duration):
    match = re.fullmatch(r"(\d+)(s|m)", duration)  # what wrk's -d accepts (it has no ms)
    if not match or int(match.group(1)) == 0:
        raise SystemExit(f"duration {duration!r}: use whole seconds or minutes, e.g. 10s, 1m")
    return int(match.group(1)) * {"s": 1, "m": 60}[match.group(2)]


def process_tree(root_pids):
    """The given processes and all their descendants, with each one's utime+stime in ticks."""
    parents, ticks = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited while we looked
        parents[int(entry)] = int(fields[1])
        ticks[int(entry)] = int(fields[11]) + int(fields[12])
    members, frontier = {}, [p for p in root_pids if p in ticks]
    while frontier:
        pid = frontier.pop()
        members[pid] = ticks[pid]
        frontier.extend(child for child, parent in parents.items() if parent == pid and child not in members)
    return members


def process_tree_cpu_s(root_pids):
    """utime+stime of the given processes and all their descendants, in seconds."""
    return sum(process_tree(root_pids).values()) / CLOCK_TICKS_PER_S


def thread_files(root_pids, name):
    """The text of /proc/PID/task/TID/<name> for every live thread of the process tree."""
    for pid in process_tree(root_pids):
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue  # exited while we looked
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/{name}") as f:
                    yield f.read()
            except OSError:
                continue


def context_switches(root_pids):
    """Voluntary plus involuntary context switches of every live thread of the process tree: a
    request handed from thread to thread (event loop, worker, back) costs a switch per hand-off."""
    return sum(int(line.split()[1]) for text in thread_files(root_pids, "status") for line in text.splitlines()
               if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")))


def thread_cpu_s(root_pids):
    """CPU seconds per thread name (digits dropped: pools add up) over the process tree. Native
    threads such as RocksDB's compaction ("rocksdb:low") show here though JFR cannot sample them."""
    by_name = collections.Counter()
    for text in thread_files(root_pids, "stat"):
        name = re.sub(r"[-#: ]?\d+$", "", text[text.index("(") + 1:text.rindex(")")])
        fields = text.rsplit(")", 1)[1].split()
        by_name[name] += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS_PER_S
    return by_name


def machine_busy_s():
    """CPU seconds all cores spent outside idle and iowait, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return (sum(values) - values[3] - values[4]) / CLOCK_TICKS_PER_S


def wait_quiet(targets):
    """Waits (bounded) until no server uses more than QUIET_CORES_MAX; returns the seconds waited."""
    pids = [p for t in targets for p in t["pids"]]
    started = time.monotonic()
    while pids and time.monotonic() - started < QUIET_WAIT_S_MAX:
        before = process_tree_cpu_s(pids)
        time.sleep(QUIET_SAMPLE_S)
        if process_tree_cpu_s(pids) - before <= QUIET_CORES_MAX * QUIET_SAMPLE_S:
            break
    return time.monotonic() - started


def idle_cores(target):
    """The server's own background CPU (timers, heartbeats, grid) with no request in flight."""
    if not target["pids"]:
        return None
    before = process_tree_cpu_s(target["pids"])
    time.sleep(IDLE_SAMPLE_S)
    return round((process_tree_cpu_s(target["pids"]) - before) / IDLE_SAMPLE_S, 3)


def run_wrk(target, row, concurrency, duration):
    threads = min(concurrency, WRK_THREADS_MAX)
    per_thread_max = max(1, READY_BODY_BYTES_PER_THREAD_MAX // max(row.body_bytes, 1))
    command = ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{duration}", f"--timeout={WRK_TIMEOUT}",
               "-s", WRK_SCRIPT, target["endpoint"] + "/", "--", row.method, row.urls_file[target["name"]],
               str(threads), row.body_file or "", str(per_thread_max)]
    cpu_before = process_tree_cpu_s(target["pids"]) if target["pids"] else None
    switches_before = context_switches(target["pids"]) if target["pids"] else None
    threads_before = thread_cpu_s(target["pids"])
    busy_before, wall_before = machine_busy_s(), time.monotonic()
    wrk = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = wrk.stdout.read()
    _, status, usage = os.wait4(wrk.pid, 0)
    wrk.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - wall_before
    busy = machine_busy_s() - busy_before
    cpu = process_tree_cpu_s(target["pids"]) - cpu_before if target["pids"] else None
    switches = context_switches(target["pids"]) - switches_before if target["pids"] else None
    threads = thread_cpu_s(target["pids"])
    threads.subtract(threads_before)
    lines = [l for l in output.splitlines() if l.startswith("S3COMPARE ")]
    if wrk.returncode != 0 or not lines:
        raise SystemExit(f"wrk failed on {target['name']} {row.name} c{concurrency}:\n{output}")
    result = json.loads(lines[-1][len("S3COMPARE "):])
    jit = sum(v for n, v in threads.items() if JIT_THREAD.match(n))
    result.update(wall_s=wall, server_cpu_s=cpu, server_context_switches=switches, server_jit_cpu_s=jit,
                  server_cpu_s_by_thread={n: round(v, 2) for n, v in threads.most_common(THREAD_GROUPS_REPORTED)}, client_cpu_s=usage.ru_utime + usage.ru_stime,
                  machine_busy_s=busy)
    return result


def measured_row(target, row, concurrency, raw):
    requests, elapsed = raw["requests"], raw["duration_us"] / 1e6
    ops = requests / elapsed
    payload_bytes = raw["bytes_read"] if row.op == "LIST" else requests * row.body_bytes_moved
    errors = sum(raw["errors"].values())
    return {
        "target": target["name"], "op": row.op, "size": row.size_label, "size_bytes": row.object_bytes,
        "concurrency": concurrency, "requests": requests, "duration_s": round(elapsed, 3),
        "ops_per_s": round(ops, 1), "mb_per_s": round(payload_bytes / elapsed / 1e6, 2),
        "p50_ms": raw["latency_us"]["p50"] / 1000, "p99_ms": raw["latency_us"]["p99"] / 1000,
        "max_ms": raw["latency_us"]["max"] / 1000, "errors": raw["errors"], "error_count": errors,
        "server_cpu_s_per_1000": None if raw["server_cpu_s"] is None or requests == 0
        else round(raw["server_cpu_s"] / requests * 1000, 4),
        "server_cpu_s_per_1000_without_jit": None if raw["server_cpu_s"] is None or requests == 0
        else round((raw["server_cpu_s"] - raw["server_jit_cpu_s"]) / requests * 1000, 4),
        "server_context_switches_per_request": None if raw["server_context_switches"] is None or requests == 0
        else round(raw["server_context_switches"] / requests, 1),
        "server_cpu_cores": None if raw["server_cpu_s"] is None else round(raw["server_cpu_s"] / raw["wall_s"], 2),
        "client_cpu_cores": round(raw["client_cpu_s"] / raw["wall_s"], 2),
        "server_cpu_s_by_thread": raw["server_cpu_s_by_thread"],
        "machine_busy_cores": round(raw["machine_busy_s"] / raw["wall_s"], 2),
    }


def main():
    targets_file, results_json, results_md = sys.argv[1:4]
    with open(targets_file) as f:
        targets = json.load(f)
    warmup = os.environ.get("S3_COMPARE_WARMUP", "2s")
    duration = os.environ.get("S3_COMPARE_DURATION", "6s")
    duration_large = os.environ.get("S3_COMPARE_DURATION_LARGE", "12s")
    only = re.compile(os.environ.get("S3_COMPARE_ROWS", ".*"))
    for d in (warmup, duration, duration_large):
        seconds(d)
    work_dir = os.path.dirname(os.path.abspath(targets_file))
    rows = [r for r in setup.rows(work_dir) if only.search(r.name)]
    for target in targets:
        setup.prepare(target, rows, work_dir)
    wait_quiet(targets)
    for target in targets:
        target["idle_cores"] = idle_cores(target)
    warmup_pass = os.environ.get("S3_COMPARE_WARMUP_PASS", "1s")
    seconds(warmup_pass)
    for row in rows:
        for concurrency in CONCURRENCIES:
            for target in targets:
                run_wrk(target, row, concurrency, warmup_pass)
    results, started = [], time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for row in rows:
        for concurrency in CONCURRENCIES:
            for target in targets:
                wait_quiet(targets)
                run_wrk(target, row, concurrency, warmup)
                wait_quiet(targets)
                row_duration = duration_large if row.object_bytes >= setup.LARGE_BYTES else duration
                result = measured_row(target, row, concurrency, run_wrk(target, row, concurrency, row_duration))
                results.append(result)
                print(s3_compare_report.progress_line(result), flush=True)
    document = {
        "harness": "bench/s3-compare.sh", "started": started,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cores": os.cpu_count(), "loadavg_at_end": open("/proc/loadavg").read().split()[:3]},
        "settings": {"warmup_pass": warmup_pass, "warmup": warmup, "duration": duration, "duration_large": duration_large,
                     "wrk_threads_max": WRK_THREADS_MAX, "concurrencies": list(CONCURRENCIES),
                     "mb": "10^6 bytes of object payload"},
        "targets": [{k: t.get(k) for k in ("name", "endpoint", "version", "jvm_flags", "idle_cores", "notes")} for t in targets],
        "rows": results,
    }
    with open(results_json, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    with open(results_md, "w") as f:
        f.write(s3_compare_report.markdown(document))
    print(f"wrote {results_json} and {results_md}")


if __name__ == "__main__":
    main()
