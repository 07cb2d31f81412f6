#!/usr/bin/python3
"""Where a JFR recording's CPU samples went: the hottest leaf methods, and the methods most often
anywhere on the sampled stacks (inclusive), as shares of all jdk.ExecutionSample events.
(async-profiler is not available here; JDK 17's `jfr` has no `view hot-methods`.)

Usage: jfr_top.py RECORDING.jfr [TOP (default 20)] [PACKAGE_PREFIX to also rank the first frame
of that package on each stack, e.g. dev.canopy] [THREAD_PREFIX: only samples of threads whose name
starts with it, e.g. month-end, so a benchmark's set-up does not drown what it measures]
"""
import collections
import json
import re
import subprocess
import sys

STACK_DEPTH = 96


def frame_name(frame):
    method = frame["method"]
    return f"{method['type']['name']}.{method['name']}"


def main():
    recording = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    package = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
    thread_prefix = sys.argv[4] if len(sys.argv) > 4 else None
    printed = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(STACK_DEPTH), "--events",
                              "jdk.ExecutionSample", recording], check=True, capture_output=True, text=True).stdout
    events = json.loads(printed)["recording"]["events"]
    if thread_prefix:
        events = [e for e in events if (e["values"]["sampledThread"]["javaName"] or "").startswith(thread_prefix)]
    leaves, inclusive, first_own, threads = (collections.Counter() for _ in range(4))
    for event in events:
        frames = [frame_name(f) for f in event["values"]["stackTrace"]["frames"]]
        if not frames:
            continue
        leaves[frames[0]] += 1
        inclusive.update(set(frames))
        thread = event["values"]["sampledThread"]["javaName"] or "?"
        threads[re.sub(r"[-# ]?\d+$", "", thread)] += 1  # pools by name: vert.x-worker-thread-7 -> vert.x-worker-thread
        if package:
            first_own[next((f for f in frames if f.startswith(package)), "(none of " + package + ")")] += 1
    total = len(events)
    print(f"{total} execution samples in {recording}")
    sections = [("leaf methods", leaves), ("on the stack (inclusive)", inclusive), ("threads", threads)]
    if package:
        sections.append((f"first {package} frame on the stack", first_own))
    for title, counter in sections:
        print(f"\n-- {title}")
        for name, count in counter.most_common(top):
            print(f"{100 * count / total:6.1f}%  {name}")


if __name__ == "__main__":
    main()
