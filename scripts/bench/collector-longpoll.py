#!/usr/bin/env python3
"""Long-poll benchmark: N agents holding `GET /api/v1/agent/commands?wait=…` on one collector, and the
time from an operator's `POST /api/v1/devices/{id}/commands` to the command arriving at that device.

  scripts/bench/collector-longpoll.py --bin .build-release/release --agents 10000 --commands 200
  scripts/bench/collector-longpoll.py --collectors 3 --db postgres://u:p@127.0.0.1/empty_db --agents 3000

With --collectors N (N > 1, PostgreSQL only): N collectors on the one database behind nginx with
Deploy/media/nginx-collectors.conf (its upstream rewritten to the N collectors), the agents polling
through nginx (so spread across the collectors), every command queued through the first collector
directly: a command for an agent held by another collector reaches it through LISTEN/NOTIFY. Prints
`fanout_p50_ms_Ncollectors` and `fanout_p99_ms_Ncollectors` (issue → arrival) in the JSON and on a
`BENCH {...}` line.

Starts the collector (`serve`, SQLite in a temporary folder, loopback), imports a one-school registry,
enrolls AGENTS devices through the agent API (`POST /api/v1/agent/enroll`), then each simulated agent
loops as classroomd does: long-poll (wait=WAIT, keep-alive), acknowledge what it got, poll again. When
every poll is held (connecting over SPREAD seconds), an operator queues COMMANDS `inventory_refresh` commands, one every INTERVAL
seconds (longer in all than one WAIT, so the re-polls of every agent fall in it), each to a
different random device. Per command: issue (before the POST is written) → the
poll answer carrying it read by that device's client. Also: polls held at once (client side and the
collector's open sockets), the collector's RSS and CPU from /proc while holding them, errors and
reconnects. Python asyncio with raw HTTP/1.1 sockets (standard library only); the client shares the
machine, so the latencies are upper bounds.
"""
import argparse, asyncio, base64, json, os, random, resource, statistics, subprocess, sys, tempfile, time

REGISTRY = {
    "schools.csv": "school_id,name,county,township,primary_classes,primary_students,junior_classes,junior_students,high_classes,high_students\nS1,A,C,T,30,1200,0,0,0,0\n",
    "rooms.csv": "room_id,school_id,name,kind,stage,class_name\n" + "".join(f"R{i},S1,r{i},classroom,primary,c{i}\n" for i in range(1, 31)),
    "teachers.csv": "teacher_id,school_id,name,subjects\nT1,S1,n,m\n",
    "timetable.csv": "school_id,room_id,teacher_id,weekday,start,end,subject\nS1,R1,T1,1,08:00,08:40,m\n",
}


class HTTP:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, port):
        self.port, self.reader, self.writer = port, None, None

    async def request(self, method, path, token=None, body=None):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        data = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(data)}\r\n"
        if body is not None: head += "Content-Type: application/json\r\n"
        if token: head += f"Authorization: Bearer {token}\r\n"
        self.writer.write(head.encode() + b"\r\n" + data)
        await self.writer.drain()
        return await self.response()

    async def response(self):
        lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:] if l)}
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0: break
                body += chunk[:-2]
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close": self.close()
        return status, body

    def close(self):
        if self.writer is not None: self.writer.close()
        self.reader = self.writer = None


class Stats:
    def __init__(self):
        self.held = 0            # polls written and not yet answered
        self.polls = 0           # poll answers read
        self.arrivals = {}       # command id → time its poll answer was read
        self.connects = 0
        self.errors = {}         # "kind" → count

    def error(self, kind):
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def agent(port, credential, wait, stats, stop):
    conn = HTTP(port)
    while not stop.is_set():
        try:
            if conn.writer is None:
                stats.connects += 1
            stats.held += 1
            try:
                status, body = await conn.request("GET", f"/api/v1/agent/commands?wait={wait}", credential)
            finally:
                stats.held -= 1
            arrived = time.perf_counter()
            stats.polls += 1
            if status != 200:
                stats.error(f"poll HTTP {status}"); await asyncio.sleep(1); continue
            ids = [c["id"] for c in json.loads(body)["commands"]]
            for i in ids: stats.arrivals.setdefault(i, arrived)
            if ids:
                status, _ = await conn.request("POST", "/api/v1/agent/commands/ack", credential, {"ids": ids})
                if status != 200: stats.error(f"ack HTTP {status}")
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
            stats.error(type(e).__name__); conn.close(); await asyncio.sleep(1)
    conn.close()


def count_sockets(pid):
    """Open sockets of a process; a descriptor closed while they are counted is not one."""
    n = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            n += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
        except FileNotFoundError:
            pass
    return n


def proc_sample(pid, sockets=True):
    """CPU seconds, RSS MB, open sockets (counting them reads 10,000 links: not while measuring), threads."""
    with open(f"/proc/{pid}/stat") as f: fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = dict(l.split(":", 1) for l in open(f"/proc/{pid}/status"))
    rss = int(status["VmRSS"].split()[0]) // 1024
    sockets = sockets and count_sockets(pid)
    return cpu, rss, sockets, int(status["Threads"])


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def sockets_of(pids):
    return sum(proc_sample(p)[2] for p in pids)


async def run(a, pids, token, command_port):
    pid = pids[0]
    op = HTTP(a.port)
    queue_op = HTTP(command_port)  # commands go in through one collector
    status, body = await op.request("PUT", "/api/v1/registry", token, {"files": {k: base64.b64encode(v.encode()).decode() for k, v in REGISTRY.items()}})
    assert status < 300, body
    creds, devices = [], []
    t = time.perf_counter()
    for start in range(0, a.agents, 10_000):
        count = min(10_000, a.agents - start)
        status, body = await op.request("POST", "/api/v1/enrollment-tokens", token, {"school_id": "S1", "max_uses": count, "expires_in_seconds": 3600})
        assert status < 300, body
        et, queue = json.loads(body)["token"], list(range(start, start + count))

        async def enroller():
            c = HTTP(a.port)
            while queue:
                i = queue.pop()
                status, body = await c.request("POST", "/api/v1/agent/enroll", None, {"token": et, "room_id": f"R{i % 30 + 1}", "public_key": base64.b64encode(bytes(32)).decode(), "hostname": f"pc{i}", "agent_version": "0.1.0"})
                assert status == 201, body
                e = json.loads(body); creds.append(e["credential"]); devices.append(e["device_id"])
            c.close()
        await asyncio.gather(*(enroller() for _ in range(16)))
    print(f"enrolled {len(creds)} devices in {time.perf_counter() - t:.1f} s", flush=True)

    stats, stop = Stats(), asyncio.Event()
    tasks = []
    t = time.perf_counter()
    for start in range(0, a.agents, a.ramp):  # connect in steps the listen backlog can take
        tasks += [asyncio.create_task(agent(a.port, c, a.wait, stats, stop)) for c in creds[start:start + a.ramp]]
        await asyncio.sleep(max(0.1, a.spread * a.ramp / a.agents))
    deadline = time.perf_counter() + 120
    while (stats.held < a.agents or sockets_of(pids) < a.agents) and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
    per = [proc_sample(p)[2] for p in pids]
    print(f"{stats.held} polls held (collector sockets: {per}) {time.perf_counter() - t:.1f} s after the first connect", flush=True)

    await asyncio.sleep(2)
    cpu0 = sum(proc_sample(p, sockets=False)[0] for p in pids); sock_max = sockets_of(pids)
    t0 = time.perf_counter(); polls0 = stats.polls
    me0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    held_min, held_max, rss_max, threads = a.agents, 0, 0, 0
    issued, post_times = {}, []
    targets = random.Random(7).sample(range(len(devices)), min(a.commands, len(devices)))
    for n, d in enumerate(targets):
        start = time.perf_counter()
        status, body = await queue_op.request("POST", f"/api/v1/devices/{devices[d]}/commands", token, {"kind": "inventory_refresh"})
        post_times.append(time.perf_counter() - start)
        if status != 201: stats.error(f"enqueue HTTP {status}"); continue
        issued[json.loads(body)["id"]] = start
        rss = sum(proc_sample(p, sockets=False)[1] for p in pids); threads = proc_sample(pid, sockets=False)[3]
        held_min, held_max = min(held_min, stats.held), max(held_max, stats.held)
        rss_max = max(rss_max, rss)
        await asyncio.sleep(max(0, start + a.interval - time.perf_counter()))
    end = time.perf_counter() + 5
    while len([i for i in issued if i in stats.arrivals]) < len(issued) and time.perf_counter() < end:
        await asyncio.sleep(0.05)
    samples = [proc_sample(p, sockets=False) for p in pids]; t1 = time.perf_counter()
    cpu1, rss, threads = sum(x[0] for x in samples), sum(x[1] for x in samples), samples[0][3]
    me1 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    sock_max = max(sock_max, sockets_of(pids))
    polls_per_s = (stats.polls - polls0) / (t1 - t0)
    stop.set()
    for task in tasks: task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    op.close(); queue_op.close()

    lat = [(stats.arrivals[i] - s) * 1000 for i, s in issued.items() if i in stats.arrivals]
    lost = len(issued) - len(lat)
    out = {
        "collectors": len(pids), "store": "postgres" if a.db.startswith("postgres") else "sqlite",
        "agents": a.agents, "wait_s": a.wait, "spread_s": a.spread, "commands": len(issued), "delivered": len(lat), "not_delivered_within_5s": lost,
        "latency_ms": {"p50": round(pct(lat, 50), 1), "p99": round(pct(lat, 99), 1), "max": round(max(lat), 1), "mean": round(statistics.mean(lat), 1)} if lat else None,
        "slow_commands": [{"issued_at_s": round(s - t0, 2), "ms": round((stats.arrivals[i] - s) * 1000)}
                          for i, s in sorted(issued.items(), key=lambda x: x[1]) if i in stats.arrivals and stats.arrivals[i] - s > 0.1],
        "enqueue_post_ms": {"p50": round(pct(post_times, 50) * 1000, 1), "p99": round(pct(post_times, 99) * 1000, 1)},
        "polls_held_during_commands": {"min": held_min, "max": held_max}, "collector_sockets_max": sock_max,
        "collector_rss_mb": max(rss_max, rss), "collector_threads": threads,
        "collector_cpu_percent_while_holding": round((cpu1 - cpu0) / (t1 - t0) * 100, 1),
        "client_cpu_percent": round((me1 - me0) / (t1 - t0) * 100, 1),
        "poll_answers_per_s": round(polls_per_s, 1), "connects": stats.connects, "reconnects": stats.connects - a.agents,
        "errors": stats.errors,
        "collector_sockets_each_at_start": per,
        "machine": f"{os.cpu_count()} cores, {open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}",
    }
    if len(pids) > 1 and lat:
        out[f"fanout_p50_ms_{len(pids)}collectors"] = out["latency_ms"]["p50"]
        out[f"fanout_p99_ms_{len(pids)}collectors"] = out["latency_ms"]["p99"]
    return out


def start_nginx(a, ports, tmp):
    """nginx with the repository's multi-collector site, its upstream rewritten to `ports`, on a.port."""
    folder = os.path.join(tmp, "nginx"); os.makedirs(os.path.join(folder, "tmp"))
    site = open(a.nginx_site).read()
    servers = [l for l in site.split("\n") if l.startswith("    server 127.0.0.1:")]
    if not servers or "    listen 80;" not in site: sys.exit(f"{a.nginx_site}: expected upstream servers and 'listen 80;'")
    site = site.replace("\n".join(servers), "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports))
    site = site.replace("    listen 80;", f"    listen 127.0.0.1:{a.port} backlog=4096;")
    open(os.path.join(folder, "site.conf"), "w").write(site)
    # Each held poll is two connections in nginx (the agent's and the upstream one). One worker a core, as
    # Debian's nginx.conf has it: with one worker, 10,000 agents need more connections than one process may
    # open here (a hard limit of 20,000 files), and nginx closed idle agents' connections to make room
    # ("worker_connections are not enough, reusing connections"), 21,789 reconnects in a full run. Each
    # worker may get most of a burst of connects, so each is sized for all; its file limit is capped at
    # the hard limit (setrlimit above it fails without CAP_SYS_RESOURCE).
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    files = 2 * a.agents + 2000 if hard in (resource.RLIM_INFINITY, -1) else min(2 * a.agents + 2000, hard)
    open(os.path.join(folder, "nginx.conf"), "w").write(f"""daemon on; pid {folder}/nginx.pid; error_log {folder}/error.log warn;
worker_processes auto; worker_rlimit_nofile {files};
events {{ worker_connections {min(2 * a.agents + 1000, files)}; }}
http {{ access_log off; client_body_temp_path {folder}/tmp/body; proxy_temp_path {folder}/tmp/proxy;
  fastcgi_temp_path {folder}/tmp/fastcgi; uwsgi_temp_path {folder}/tmp/uwsgi; scgi_temp_path {folder}/tmp/scgi;
  include {folder}/site.conf; }}
""")
    subprocess.check_call([a.nginx, "-c", f"{folder}/nginx.conf", "-p", f"{folder}/tmp", "-e", f"{folder}/error.log"])
    return os.path.join(folder, "nginx.pid")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=".build-release/release", help="folder holding classroom-collector")
    ap.add_argument("--agents", type=int, default=10_000)
    ap.add_argument("--commands", type=int, default=200)
    ap.add_argument("--interval", type=float, default=0.15, help="seconds between commands (default: 200 commands span 30 s, longer than one poll wait, so every agent also re-polls)")
    ap.add_argument("--wait", type=int, default=25, help="long-poll wait, seconds (classroomd's default: 25)")
    ap.add_argument("--ramp", type=int, default=500, help="agents connecting per 0.1 s step")
    ap.add_argument("--spread", type=float, default=0, help="seconds over which the agents first connect "
                    "(0: as fast as --ramp allows, as after a collector restart, so the re-polls come in one burst; "
                    "WAIT: spread as in a fleet's steady state)")
    ap.add_argument("--port", type=int, default=18491)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON only")
    ap.add_argument("--collectors", type=int, default=1, help="collectors on one PostgreSQL behind nginx (> 1 needs --db postgres://…)")
    ap.add_argument("--db", default="", help="store URL (default: SQLite in a temporary folder); postgres://… of an empty database")
    ap.add_argument("--nginx", default="/usr/sbin/nginx")
    ap.add_argument("--nginx-site", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../Deploy/media/nginx-collectors.conf"))
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = a.agents + 1000
    if hard < need: sys.exit(f"open-file limit {hard} < {need} needed for {a.agents} agents (raise the hard limit)")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # inherited by the collector
    exe = os.path.join(a.bin, "classroom-collector")
    if not os.access(exe, os.X_OK):
        sys.exit(f"{exe}: not found; build it: swift build -c release --product classroom-collector --scratch-path .build-release")
    if a.agents < 1 or a.commands < 1: sys.exit("--agents and --commands must be ≥ 1")
    if a.collectors < 1: sys.exit("--collectors must be ≥ 1")
    if a.collectors > 1 and not a.db.startswith("postgres"): sys.exit("--collectors > 1 needs --db postgres://… (one database they share)")
    tmp = tempfile.mkdtemp(prefix="longpoll-")
    a.db = a.db or f"sqlite:{tmp}/collector.sqlite"
    token = subprocess.check_output([exe, "token", "create", "--role", "bureau_admin", "--name", "bench", "--db", a.db], text=True).strip()
    # One collector: on a.port itself. Several: on the ports after it, nginx on a.port.
    ports = [a.port] if a.collectors == 1 else [a.port + 1 + i for i in range(a.collectors)]
    servers, nginx_pid = [], None
    try:
        for port in ports:
            servers.append(subprocess.Popen([exe, "serve", "--db", a.db, "--listen", f"127.0.0.1:{port}", "--log-level", "error",
                                             "--max-connections", str(a.agents + 1000)], stdout=subprocess.PIPE, text=True))
        for server in servers: server.stdout.readline()
        if a.collectors > 1: nginx_pid = start_nginx(a, ports, tmp)
        out = asyncio.run(run(a, [s.pid for s in servers], token, ports[0]))
        if nginx_pid:
            # Connections nginx closed to make room: the agents see them as reconnects.
            log = open(os.path.join(tmp, "nginx", "error.log")).read()
            out["nginx_connections_reused_warnings"] = log.count("worker_connections are not enough")
    finally:
        if nginx_pid and os.path.exists(nginx_pid): os.kill(int(open(nginx_pid).read().strip()), 15)
        for server in servers: server.terminate()
        for server in servers: server.wait()
    if a.json:
        print(json.dumps(out, indent=2))
        return
    if a.collectors > 1:
        print("BENCH " + json.dumps({k: out[k] for k in out if k.startswith("fanout_")} | {"agents": out["agents"], "collectors": out["collectors"]}))
    l = out["latency_ms"] or {}
    print(f"{out['collectors']} collector(s) ({out['store']}), {out['agents']} agents, wait={out['wait_s']} s, first polls spread over {out['spread_s']:g} s, {out['machine']}")
    print(f"commands {out['commands']}, delivered {out['delivered']} (not within 5 s: {out['not_delivered_within_5s']}); "
          f"issue→arrival p50 {l.get('p50')} ms, p99 {l.get('p99')} ms, max {l.get('max')} ms; enqueue POST p50 {out['enqueue_post_ms']['p50']} ms")
    print(f"polls held while commanding: {out['polls_held_during_commands']['min']}–{out['polls_held_during_commands']['max']} "
          f"(collector sockets ≤ {out['collector_sockets_max']}); collector RSS {out['collector_rss_mb']} MB, "
          f"CPU {out['collector_cpu_percent_while_holding']}% of one core, {out['collector_threads']} threads; "
          f"this client {out['client_cpu_percent']}%")
    print(f"poll answers {out['poll_answers_per_s']}/s; connects {out['connects']} (reconnects {out['reconnects']}); errors {out['errors'] or 'none'}")


if __name__ == "__main__":
    main()
