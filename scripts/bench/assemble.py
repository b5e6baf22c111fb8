#!/usr/bin/env python3
"""Assembles the figures of scripts/bench.sh: one bench.json and one bench.md (a Markdown table) from
what each part under scripts/bench/ printed.

  scripts/bench/assemble.py machine                       # this machine's details as JSON
  scripts/bench/assemble.py assemble --parts DIR --machine FILE --mode quick|full [--scale JSON]
                                     [--wall SECONDS] --out DIR

DIR (--parts) holds, per part NAME: NAME.status (JSON: command, exit, seconds; or skipped: reason),
NAME.out (its standard output), NAME.err (its standard error) and, for parts that write one, NAME.json.
A part's figures are its NAME.json, else the last JSON object of its output merged with its
`RESULT key=value …` lines. Every figure of FIGURES appears in bench.json: with its value, unit, part
and command, or with value null and the reason (the part failed, was skipped, or did not report it).
Nothing is computed here beyond picking values out; exit status 0, or 2 on bad input.
"""
import argparse, datetime, json, os, platform, re, subprocess, sys

# key, part, unit, path in the part's figures, paths shown beside, what it is.
FIGURES = [
    ("ingest_sqlite_ratio", "ingest-sqlite", "ratio", "ratio", ["http_events_per_s", "raw_events_per_s", "devices", "batch", "events"],
     "collector events/s over HTTP ÷ raw multi-row insert of the same schema (SQLite, synchronous=FULL)"),
    ("ingest_postgres_ratio", "ingest-postgres", "ratio", "ratio", ["http_events_per_s", "raw_events_per_s", "devices", "batch", "events"],
     "collector events/s over HTTP ÷ raw INSERT … UNNEST of the same schema (PostgreSQL)"),
    ("long_poll_agents", "longpoll", "agents", "polls_held_during_commands.max",
     ["agents", "polls_held_during_commands.min", "collector_sockets_max", "collector_rss_mb",
      "collector_cpu_percent_while_holding", "errors", "not_delivered_within_5s"],
     "long-polls held at once on one collector (SQLite) while commands were sent"),
    ("fanout_p50_ms", "longpoll", "ms", "latency_ms.p50", ["commands", "delivered"],
     "operator POST of a command → the device's long-poll answer read, median"),
    ("fanout_p99_ms", "longpoll", "ms", "latency_ms.p99", ["commands", "delivered", "latency_ms.max"],
     "operator POST of a command → the device's long-poll answer read, 99th percentile"),
    ("fanout_p99_ms_3collectors", "longpoll-3collectors", "ms", "latency_ms.p99", ["agents", "commands", "delivered"],
     "the same through three collectors on one PostgreSQL database, 99th percentile"),
    ("agent_idle_rss_kb", "agent", "kB", "agent_rss_kb", ["idle_seconds", "agent_rss_anon_kb", "agent_rss_file_kb", "https_idle_rss_kb"],
     "classroomd (release as shipped) VmRSS after the idle time, enrolled and long-polling"),
    ("agent_pss_kb", "agent", "kB", "agent_pss_kb", ["idle_seconds"], "classroomd PSS (smaps_rollup) at the same moment"),
    ("node_exporter_rss_kb", "agent", "kB", "node_exporter_rss_kb", ["node_exporter_rss_kb_after_scrape"],
     "prometheus-node-exporter VmRSS after the same idle time, before its first scrape (after: beside)"),
    ("node_exporter_pss_kb", "agent", "kB", "node_exporter_pss_kb", ["node_exporter_pss_kb_after_scrape"],
     "prometheus-node-exporter PSS before its first scrape (after: beside)"),
    ("agent_ready_ms", "agent", "ms", "ready_ms_median", ["starts", "ready_ms_min", "ready_ms_max"],
     "classroomd spawn → READY=1 (sd_notify), median of the starts"),
    ("agent_cpu_percent", "agent", "% of one core", "idle_cpu_percent", ["speech_cpu_percent", "speech_metering"],
     "classroomd idle CPU (utime+stime over the idle time); while metering speech beside"),
    ("outbox_appends_per_s", "agent", "appends/s", "outbox_appends_per_s", ["outbox_appends", "outbox_append_seconds"],
     "classroomd with heartbeat_seconds = 0.001: outbox sequence numbers assigned per second (each an fsynced commit)"),
    ("draw_province_s", "draw-province", "s", "draw_province_s", ["orders", "eligible_teachers", "eligible_schools", "registry_warm_s"],
     "POST /api/v1/spotcheck/draws of the current week with the province in the store (SQLite)"),
    ("coverage_province_s", "coverage-province", "s", "coverage_province_s",
     ["coverage_province_warm_s", "coverage_trend_s", "coverage_ctl_s", "collector_max_rss_mb", "load_s"],
     "GET /api/v1/coverage of the province week, first request (SQLite)"),
    ("draw_province_postgres_s", "draw-province-postgres", "s", "draw_province_s",
     ["orders", "eligible_teachers", "eligible_schools", "registry_warm_s"],
     "the same draw with the province in a PostgreSQL database"),
    ("coverage_province_postgres_s", "coverage-province-postgres", "s", "coverage_province_s",
     ["coverage_province_warm_s", "coverage_trend_s", "coverage_ctl_s", "collector_max_rss_mb", "load_s"],
     "the same report with the province in a PostgreSQL database (VACUUM ANALYZE after its load), first request"),
    ("registry_load_mb_per_s", "registry-load", "MB/s", "registry_load_mb_per_s", ["registry_mb", "registry_load_s", "schools"],
     "`classroomctl registry check` of a synthetic province registry: CSV megabytes over wall seconds"),
    ("registry_load_peak_mb", "registry-load", "MB", "registry_load_peak_mb", ["peak_over_size"],
     "maximum resident set of that check"),
    ("kill_cycles_lost", "kill-cycles", "events", "lost", ["cycles", "killed_by_sigkill", "events_created", "duplicated", "result"],
     "events lost over SIGKILL cycles of classroomd (exactly-once accounting)"),
    ("hls_latency_median_ms", "hls-latency", "ms", "latency_ms.median", ["latency_ms.p90", "samples", "startup_ms"],
     "camera → viewer latency of live viewing through nginx-rtmp and Chromium, median"),
]


def machine():
    """This machine's details; each read that fails is null rather than guessed."""
    def read(path):
        try:
            with open(path) as f:
                return f.read()
        except OSError:
            return None

    def output(*args):
        try:
            return subprocess.run(args, capture_output=True, text=True, timeout=60).stdout.strip() or None
        except (OSError, subprocess.SubprocessError):
            return None

    cpuinfo = read("/proc/cpuinfo") or ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    meminfo = re.search(r"^MemTotal:\s*(\d+) kB", read("/proc/meminfo") or "", re.M)
    swift = output("swift", "--version")
    commit = os.environ.get("BENCH_GIT_COMMIT") or output("git", "rev-parse", "HEAD")
    dirty = os.environ.get("BENCH_GIT_DIRTY")
    if dirty is None and commit and not os.environ.get("BENCH_GIT_COMMIT"):
        dirty = "1" if output("git", "status", "--porcelain", "--untracked-files=no") else "0"
    return {
        "cpu_model": model.group(1).strip() if model else platform.processor() or None,
        "cores": os.cpu_count(),
        "ram_gib": round(int(meminfo.group(1)) / 1024 / 1024, 1) if meminfo else None,
        "kernel": platform.release(),
        "debian": (read("/etc/debian_version") or "").strip() or None,
        "swift": swift.splitlines()[0] if swift else None,
        "git_commit": commit,
        "git_dirty": None if dirty is None else dirty == "1",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def last_json(text):
    """The last JSON object of `text` that starts a line and runs to the end of the text."""
    decoder = json.JSONDecoder()
    starts = [m.start() for m in re.finditer(r"(?m)^\{", text)]
    for start in reversed(starts):
        try:
            value, end = decoder.raw_decode(text, start)
        except ValueError:
            continue
        if isinstance(value, dict) and not text[end:].strip():
            return value
    return None


def scalar(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text, text)


def result_lines(text):
    figures = {}
    for line in text.splitlines():
        if line.startswith("RESULT "):
            for pair in line[len("RESULT "):].split():
                key, sep, value = pair.partition("=")
                if sep:
                    figures[key] = scalar(value)
    return figures


def pick(figures, path):
    value = figures
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def read_part(parts, name):
    """(status, figures or None, error or None) of one part."""
    path = os.path.join(parts, name)
    if not os.path.exists(path + ".status"):
        return None, None, f"part {name} did not run"
    with open(path + ".status") as f:
        status = json.load(f)
    if status.get("skipped"):
        return status, None, status["skipped"]
    out = open(path + ".out", errors="replace").read() if os.path.exists(path + ".out") else ""
    if status.get("exit") != 0:
        err = open(path + ".err", errors="replace").read() if os.path.exists(path + ".err") else ""
        lines = [l.strip() for l in err.splitlines() if l.strip()] or [l.strip() for l in out.splitlines() if l.strip()]
        last = lines[-1][:300] if lines else "no output"
        return status, None, f"part {name} failed (exit {status.get('exit')}): {last}"
    figures = None
    if os.path.exists(path + ".json"):
        with open(path + ".json") as f:
            figures = json.load(f)
    else:
        found = last_json(out) or {}
        found.update(result_lines(out))
        figures = found or None
    if not figures:
        return status, None, f"part {name} printed no figures"
    return status, figures, None


def assemble(a):
    try:
        with open(a.machine) as f:
            details = json.load(f)
        scale = json.loads(a.scale) if a.scale else {}
    except (OSError, ValueError) as e:
        print(f"assemble: {e}", file=sys.stderr)
        return 2
    if not os.path.isdir(a.parts):
        print(f"assemble: no parts folder {a.parts}", file=sys.stderr)
        return 2
    ran = sorted((os.path.getmtime(os.path.join(a.parts, f)), f.rsplit(".", 1)[0])
                 for f in os.listdir(a.parts) if f.endswith(".status"))
    names = [name for _, name in ran] + sorted({figure[1] for figure in FIGURES} - {name for _, name in ran})
    parts, read = {}, {}
    for name in names:
        status, figures, error = read_part(a.parts, name)
        read[name] = (status, figures, error)
        if status is not None:
            parts[name] = {"command": status.get("command"), "exit": status.get("exit"), "seconds": status.get("seconds"),
                           "skipped": status.get("skipped"),
                           "error": error if status.get("exit") != 0 and not status.get("skipped") else None}
    figures = {}
    for key, part, unit, path, beside, what in FIGURES:
        status, found, error = read[part]
        entry = {"value": None, "unit": unit, "part": part, "command": (status or {}).get("command"), "what": what}
        if found is None:
            entry["reason"] = error
        else:
            value = pick(found, path)
            if value is None:
                entry["reason"] = f"part {part} did not report {path} (see {part}.out)"
            else:
                entry["value"] = value
            detail = {p: pick(found, p) for p in beside if pick(found, p) is not None}
            if detail:
                entry["beside"] = detail
        figures[key] = entry
    failed = sorted(n for n, p in parts.items() if not p["skipped"] and p["exit"] != 0)
    report = {
        "format": "classroomfleet-bench/1", "mode": a.mode, "scale": scale, "machine": details,
        "wall_seconds": a.wall, "figures": figures, "parts": parts, "failed_parts": failed,
    }
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "bench.json"), "w") as f:
        json.dump(report, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(a.out, "bench.md"), "w") as f:
        f.write(markdown(report))
    print(f"assemble: {sum(1 for e in figures.values() if e['value'] is not None)} of {len(figures)} figures, "
          f"{len(failed)} failed parts -> {a.out}/bench.json, {a.out}/bench.md")
    return 0


def cell(value):
    if isinstance(value, float):
        text = f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 100 else f"{value:,.1f}".removesuffix(".0")
    elif isinstance(value, int) and not isinstance(value, bool):
        text = f"{value:,}"
    elif isinstance(value, dict):
        text = ", ".join(f"{k} {cell(v)}" for k, v in value.items()) or "none"
    else:
        text = str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report):
    m = report["machine"]
    mode = report["mode"]
    scale = ", ".join(f"{k} {cell(v)}" for k, v in report["scale"].items())
    lines = [
        f"# ClassroomFleet bench ({mode}{', smaller than the province: ' + scale if mode != 'full' else ', ' + scale if scale else ''})",
        "",
        "| Machine | |", "|---|---|",
        f"| CPU | {cell(m.get('cpu_model'))}, {cell(m.get('cores'))} cores |",
        f"| RAM | {cell(m.get('ram_gib'))} GiB |",
        f"| Kernel | {cell(m.get('kernel'))} |",
        f"| Debian | {cell(m.get('debian'))} |",
        f"| Swift | {cell(m.get('swift'))} |",
        f"| Commit | {cell(m.get('git_commit'))}{' (with uncommitted changes)' if m.get('git_dirty') else ''} |",
        f"| Date | {cell(m.get('date'))} |",
        f"| Run | {mode}, wall time {cell(report['wall_seconds'])} s |",
        "",
        "| Figure | Value | Unit | Part | Beside / why null |", "|---|---:|---|---|---|",
    ]
    for key, e in report["figures"].items():
        value = cell(e["value"]) if e["value"] is not None else "null"
        note = cell(e.get("reason") or "") if e["value"] is None else cell(e["beside"]) if e.get("beside") else ""
        lines.append(f"| `{key}` | {value} | {e['unit']} | {e['part']} | {note} |")
    lines += ["", "| Part | Exit | Seconds | Command | Skipped / error |", "|---|---:|---:|---|---|"]
    for name, p in report["parts"].items():
        exit_text = "skipped" if p["skipped"] else cell(p["exit"])
        lines.append(f"| {name} | {exit_text} | {cell(p['seconds']) if p['seconds'] is not None else ''} | "
                     f"{'`' + cell(p['command']) + '`' if p['command'] else ''} | {cell(p['skipped'] or p['error'] or '')} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("machine", help="print this machine's details as JSON")
    s = sub.add_parser("assemble", help="write bench.json and bench.md")
    s.add_argument("--parts", required=True)
    s.add_argument("--machine", required=True, help="a file written by `assemble.py machine`")
    s.add_argument("--mode", required=True, choices=["quick", "full", "smoke"])
    s.add_argument("--scale", default="", help="JSON object: the sizes this run used")
    s.add_argument("--wall", type=float, default=None, help="the whole run's wall seconds")
    s.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.command == "machine":
        print(json.dumps(machine(), indent=2, ensure_ascii=False))
        return 0
    return assemble(a)


if __name__ == "__main__":
    sys.exit(main())
