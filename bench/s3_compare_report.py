"""Renders bench/s3_compare.py's results: a progress line per measured row, and the markdown
table (first target against the second, the ratio first/second per row, any further target beside)."""


def progress_line(r):
    cpu = "-" if r["server_cpu_s_per_1000"] is None else f"{r['server_cpu_s_per_1000']:.3f}"
    return (f"{r['target']:>10} {r['op']:>4} {r['size']:>10} c{r['concurrency']:<2} "
            f"{r['ops_per_s']:>9.1f} ops/s {r['mb_per_s']:>8.1f} MB/s p50 {r['p50_ms']:>8.2f} ms "
            f"p99 {r['p99_ms']:>8.2f} ms cpu/1k {cpu} s  errors {r['error_count']}  "
            f"wrk {r['client_cpu_cores']:.2f} cores  machine {r['machine_busy_cores']:.2f} cores")


def number(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def ratio(mine, theirs):
    if not mine or not theirs:
        return "–"
    return f"{mine / theirs:.2f}"


def throughput(r):
    text = number(r["ops_per_s"], 1 if r["ops_per_s"] < 100 else 0)
    if r["op"] != "LIST" and r["size_bytes"] >= 1024 * 1024:
        text += f" ({number(r['mb_per_s'])} MB/s)"
    if r["error_count"]:
        text += f" **{r['error_count']} errors**"
    return text


def latency(r):
    digits = 1 if r["p99_ms"] < 100 else 0
    return f"{number(r['p50_ms'], digits)} / {number(r['p99_ms'], digits)}"


def cpu(r):
    def one(value):
        return number(value, 2 if (value or 0) < 10 else 1)
    return f"{one(r['server_cpu_s_per_1000'])} ({one(r['server_cpu_s_per_1000_without_jit'])})"


def markdown(document):
    names = [t["name"] for t in document["targets"]]
    mine, theirs, others = names[0], names[1], names[2:]
    by_key = {(r["target"], r["op"], r["size"], r["concurrency"]): r for r in document["rows"]}
    row_keys = list(dict.fromkeys((r["op"], r["size"], r["concurrency"]) for r in document["rows"]))
    header = ["request", "clients", f"{mine} ops/s", f"{theirs} ops/s", "ratio",
              f"{mine} p50 / p99 ms", f"{theirs} p50 / p99 ms",
              f"{mine} CPU s / 1k req (without JIT)", f"{theirs} CPU s / 1k req (without JIT)", "CPU ratio"]
    for other in others:
        header += [f"{other} ops/s", f"{other} p50 / p99 ms", f"{other} CPU s / 1k req"]
    header.append(f"wrk cores ({mine} / {theirs})")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for op, size, clients in row_keys:
        a, b = by_key[(mine, op, size, clients)], by_key[(theirs, op, size, clients)]
        cells = [f"{op} {size}", str(clients), throughput(a), throughput(b), ratio(a["ops_per_s"], b["ops_per_s"]),
                 latency(a), latency(b), cpu(a), cpu(b),
                 ratio(a["server_cpu_s_per_1000"], b["server_cpu_s_per_1000"])]
        for other in others:
            c = by_key[(other, op, size, clients)]
            cells += [throughput(c), latency(c), cpu(c)]
        cells.append(f"{a['client_cpu_cores']:.2f} / {b['client_cpu_cores']:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    s = document["settings"]
    lines += ["", f"ratio = {mine} / {theirs} (ops/s: above 1 {mine} is faster; CPU: below 1 {mine} is cheaper). "
              f"A first pass of {s['warmup_pass']} per row over everything, then per row a warm-up of {s['warmup']}, measured {s['duration']} per row and server ({s['duration_large']} for "
              f"64 MiB), {document['machine']['cores']} cores shared by wrk and the servers, "
              f"{document['started']}. MB = 10^6 bytes of object payload. CPU includes each server's idle "
              f"background (" + ", ".join(f"{t['name']} {number(t.get('idle_cores'), 3)} cores"
                                          for t in document["targets"]) + "), which weighs on slow rows; \"without JIT\" leaves out the C1/C2 compiler threads, still busy on a 2-core machine."]
    return "\n".join(lines) + "\n"
