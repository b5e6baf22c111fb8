#!/usr/bin/env python3
"""Measures classroomd against ARCHITECTURE.md §7 (called by scripts/bench-agent.sh).

Runs the release classroomd enrolled into the REAL collector (`classroom-collector serve`, SQLite, on
loopback) and prints, each with how it was measured:
  - time to READY=1 (spawn -> sd_notify datagram on a test NOTIFY_SOCKET), over several starts;
  - idle VmRSS and PSS (Pss of /proc/PID/smaps_rollup: shared pages divided among their users) after
    --idle seconds, beside prometheus-node-exporter's after the same idle time (both started
    together), and the exporter's again after its first scrape;
  - outbox appends per second: an agent with heartbeat_seconds = 0.001, so that it appends one
    heartbeat after another (each its own fsynced SQLite commit) while uploading, for --appends s;
    the outbox's sequence numbers (`classroomd status --json`, last_sequence) over the wall time;
  - CPU while metering speech: a second agent whose microphone is an ALSA `type file` PCM playing
    generated Mandarin speech (Tests/Fixtures/audio), utime+stime from /proc/PID/stat over --speech s;
  - idle VmRSS over HTTPS (the test collector peer with TLS and a private CA, since the real collector
    sits behind a TLS-terminating proxy and serves plain HTTP itself).
Every agent runs with the unit file's environment (GNUTLS_NO_IMPLICIT_INIT=1).
--json: a last line with the figures as one JSON object (scripts/bench.sh reads it).
"""
import argparse, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time

p = argparse.ArgumentParser()
p.add_argument("--agent", required=True, help="the release classroomd")
p.add_argument("--bin", required=True, help="folder with classroom-collector and classroomctl")
p.add_argument("--audio", required=True, help="folder made by Tests/Fixtures/audio/make-audio-fixtures.sh")
p.add_argument("--idle", type=int, default=20)
p.add_argument("--speech", type=int, default=30)
p.add_argument("--starts", type=int, default=5)
p.add_argument("--appends", type=int, default=10, help="seconds of the outbox-append phase (0: skip)")
p.add_argument("--json", action="store_true", help="end with one line of JSON holding the figures")
a = p.parse_args()
figures = {}
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
work = tempfile.mkdtemp(prefix="classroomd-bench.")
children = []
UNIT_ENV = {"GNUTLS_NO_IMPLICIT_INIT": "1"}
HZ = os.sysconf("SC_CLK_TCK")


def spawn(args, env=None, **kw):
    proc = subprocess.Popen(args, env=dict(os.environ, **(env or {})), **kw)
    children.append(proc)
    return proc


def run(args, env=None):
    out = subprocess.run(args, env=dict(os.environ, **(env or {})), capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed: {out.stderr}")
    return out.stdout


def status(pid, *keys):
    fields = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":")
        if k in keys:
            fields[k] = int(v.split()[0])
    return fields


def pss_kb(pid):
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return None


def cpu_ticks(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])


def agent_dir(name, collector, extra=""):
    d = os.path.join(work, name)
    os.makedirs(d)
    conf = os.path.join(d, "classroomd.toml")
    with open(conf, "w") as f:
        f.write(f'collector = "{collector}"\nstate_directory = "{d}/state"\nfirst_connect_jitter_seconds = 0\n{extra}')
    return conf


def start_agent(conf, env=None):
    sock_path = os.path.join(os.path.dirname(conf), "notify.sock")
    if os.path.exists(sock_path):
        os.unlink(sock_path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(sock_path)
    s.settimeout(10)
    t0 = time.monotonic()
    proc = spawn([a.agent, "run", "--config", conf], env=dict(UNIT_ENV, NOTIFY_SOCKET=sock_path, **(env or {})),
                 stdout=open(conf + ".log", "a"), stderr=subprocess.STDOUT)
    while b"READY=1" not in s.recv(4096):
        pass
    ready = (time.monotonic() - t0) * 1000
    s.close()
    return proc, ready


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)
    return proc.returncode


try:
    # The real collector on SQLite, the sample county, one enrollment token for the agents.
    db = f"sqlite:{work}/collector.sqlite"
    collector_bin = os.path.join(a.bin, "classroom-collector")
    token = run([collector_bin, "token", "create", "--role", "bureau_admin", "--name", "bench", "--db", db]).strip()
    coll = spawn([collector_bin, "serve", "--listen", "127.0.0.1:0", "--db", db, "--log-level", "error"],
                 stdout=subprocess.PIPE, text=True)
    line = coll.stdout.readline()
    base = "http://127.0.0.1:" + re.search(r"listening on .*:(\d+)", line).group(1)
    ctl = os.path.join(a.bin, "classroomctl")
    env = {"CLASSROOM_TOKEN": token}
    run([ctl, "registry", "import", os.path.join(root, "Deploy/examples/county"), "--collector", base], env)
    enroll = re.search(r"cfe_[A-Za-z0-9_-]+", run([ctl, "enroll-token", "create", "--collector", base,
                                                     "--school", "S00001", "--uses", "4"], env)).group(0)

    idle_conf = agent_dir("idle", base)
    speech_conf = agent_dir("speech", base, 'microphone = "speech_zh"\n')
    appends_conf = agent_dir("appends", base, "heartbeat_seconds = 0.001\n")
    for conf, room in [(idle_conf, "S00001-R001"), (speech_conf, "S00001-R002"), (appends_conf, "S00001-R003")]:
        run([a.agent, "enroll", "--collector", base, "--token", enroll, "--room", room, "--config", conf])

    size = os.path.getsize(a.agent)
    stripped = os.path.join(work, "classroomd.stripped")
    run(["strip", "--strip-debug", "-o", stripped, a.agent])
    bare = os.path.join(work, "classroomd.bare")
    run(["strip", "-o", bare, a.agent])
    print(f"binary: {a.agent}")
    print(f"  size {size / 1e6:.1f} MB with debug info; {os.path.getsize(stripped) / 1e6:.1f} MB without "
          f"(symbols kept, strip --strip-debug); {os.path.getsize(bare) / 1e6:.1f} MB fully stripped")
    libs = [l.split()[0] for l in run(["ldd", a.agent]).splitlines() if "=>" in l]
    print(f"  {len(libs)} shared libraries: {' '.join(libs)}")

    readies = []
    for _ in range(a.starts):
        proc, ready = start_agent(idle_conf)
        readies.append(ready)
        stop(proc)
    readies.sort()
    print(f"time to READY=1 over {a.starts} starts: min {readies[0]:.0f} ms, median {readies[len(readies) // 2]:.0f} ms, "
          f"max {readies[-1]:.0f} ms")
    figures.update(binary_bytes=size, ready_ms_median=round(readies[len(readies) // 2]), ready_ms_min=round(readies[0]),
                   ready_ms_max=round(readies[-1]), starts=a.starts)

    # Idle agent and node-exporter side by side, started together.
    exporter = shutil.which("prometheus-node-exporter")
    idle, _ = start_agent(idle_conf)
    ne = None
    if exporter:
        ne = spawn([exporter, "--web.listen-address=127.0.0.1:19100"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    time.sleep(2)
    c0, t0 = cpu_ticks(idle.pid), time.monotonic()
    time.sleep(a.idle)
    c1, t1 = cpu_ticks(idle.pid), time.monotonic()
    agent_mem = status(idle.pid, "VmRSS", "VmHWM", "RssAnon", "RssFile", "Threads")
    agent_pss = pss_kb(idle.pid)
    figures.update(idle_seconds=a.idle, agent_rss_kb=agent_mem["VmRSS"], agent_pss_kb=agent_pss,
                   agent_rss_anon_kb=agent_mem["RssAnon"], agent_rss_file_kb=agent_mem["RssFile"])
    print(f"idle for {a.idle} s (enrolled, long-polling the collector, heartbeat every 60 s):")
    print(f"  classroomd              VmRSS {agent_mem['VmRSS']:6d} kB  (VmHWM {agent_mem['VmHWM']} kB, "
          f"anonymous {agent_mem['RssAnon']} kB, file-backed {agent_mem['RssFile']} kB, {agent_mem['Threads']} threads; "
          f"PSS {agent_pss} kB)")
    if ne:
        ne_mem = status(ne.pid, "VmRSS")
        ne_pss = pss_kb(ne.pid)
        print(f"  prometheus-node-exporter VmRSS {ne_mem['VmRSS']:6d} kB, PSS {ne_pss} kB  (same idle time, not yet scraped)")
        scrape = subprocess.run(["curl", "-sf", "-o", "/dev/null", "http://127.0.0.1:19100/metrics"])
        time.sleep(1)
        ne_after, ne_pss_after = status(ne.pid, "VmRSS")["VmRSS"], pss_kb(ne.pid)
        print(f"  prometheus-node-exporter VmRSS {ne_after:6d} kB, PSS {ne_pss_after} kB  (after one scrape"
              f"{'' if scrape.returncode == 0 else ', which FAILED'})")
        figures.update(node_exporter_rss_kb=ne_mem["VmRSS"], node_exporter_pss_kb=ne_pss)
        if scrape.returncode == 0:
            figures.update(node_exporter_rss_kb_after_scrape=ne_after, node_exporter_pss_kb_after_scrape=ne_pss_after)
        verdict = "below" if agent_mem["VmRSS"] <= ne_mem["VmRSS"] else "ABOVE"
        print(f"  classroomd is {verdict} node-exporter; budget 12288 kB: "
              f"{'met' if agent_mem['VmRSS'] <= 12288 else 'NOT met'}")
    else:
        print("  prometheus-node-exporter is not installed (bash scripts/install-deps.sh test)")
    print(f"  idle CPU: {100 * (c1 - c0) / HZ / (t1 - t0):.2f} % of one core")
    figures.update(idle_cpu_percent=round(100 * (c1 - c0) / HZ / (t1 - t0), 2))
    print(f"  exit status after SIGTERM: {stop(idle)}")

    # Metering speech from an ALSA file PCM (paced to the wall clock like a real microphone).
    speech, _ = start_agent(speech_conf, {"ALSA_CONFIG_PATH": os.path.join(a.audio, "asound.conf")})
    time.sleep(3)
    c0, t0 = cpu_ticks(speech.pid), time.monotonic()
    time.sleep(a.speech)
    c1, t1 = cpu_ticks(speech.pid), time.monotonic()
    mem = status(speech.pid, "VmRSS")
    log = open(speech_conf + ".log").read()
    metering = "metering speech" in log
    print(f"metering speech for {a.speech} s (microphone speech_zh, {'metering' if metering else 'NOT METERING'}):")
    print(f"  CPU {100 * (c1 - c0) / HZ / (t1 - t0):.2f} % of one core ({c1 - c0} ticks of 1/{HZ} s), VmRSS {mem['VmRSS']} kB")
    figures.update(speech_seconds=a.speech, speech_metering=metering,
                   speech_cpu_percent=round(100 * (c1 - c0) / HZ / (t1 - t0), 2), speech_rss_kb=mem["VmRSS"])
    print(f"  exit status after SIGTERM: {stop(speech)}")

    # Outbox appends: one heartbeat after another (heartbeat_seconds = 0.001), each its own commit.
    if a.appends > 0:
        before = json.loads(run([a.agent, "status", "--json", "--config", appends_conf])).get("last_sequence") or 0
        t0 = time.monotonic()
        appender, _ = start_agent(appends_conf)
        time.sleep(a.appends)
        stop(appender)
        seconds = time.monotonic() - t0
        after = json.loads(run([a.agent, "status", "--json", "--config", appends_conf])).get("last_sequence") or 0
        rate = (after - before) / seconds
        print(f"outbox appends with heartbeat_seconds = 0.001 for {seconds:.1f} s (start to SIGTERM, uploading meanwhile): "
              f"{after - before} events, {rate:.0f} appends/s")
        figures.update(outbox_appends=after - before, outbox_append_seconds=round(seconds, 1),
                       outbox_appends_per_s=round(rate, 1))

    # Idle over HTTPS: the test collector peer with TLS (private CA through ca_bundle).
    cert, key = os.path.join(work, "c.pem"), os.path.join(work, "c.key")
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", cert])
    port_file = os.path.join(work, "tls.port")
    spawn([sys.executable, os.path.join(root, "Tests/Fixtures/fake-collector.py"), "--port-file", port_file,
           "--token", "cfe_bench:school-1:2", "--tls-cert", cert, "--tls-key", key],
          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not (os.path.exists(port_file) and open(port_file).read().strip()):
        time.sleep(0.05)
    tls_base = f"https://localhost:{open(port_file).read().strip()}"
    tls_conf = agent_dir("https", tls_base, f'ca_bundle = "{cert}"\n')
    run([a.agent, "enroll", "--collector", tls_base, "--token", "cfe_bench", "--room", "room-1", "--config", tls_conf])
    tls, _ = start_agent(tls_conf)
    time.sleep(a.idle)
    mem = status(tls.pid, "VmRSS", "RssAnon", "RssFile")
    print(f"idle for {a.idle} s over HTTPS: VmRSS {mem['VmRSS']} kB (anonymous {mem['RssAnon']} kB, "
          f"file-backed {mem['RssFile']} kB)")
    figures.update(https_idle_rss_kb=mem["VmRSS"])
    stop(tls)
    if a.json:
        print(json.dumps(figures, sort_keys=True))
finally:
    for c in children:
        if c.poll() is None:
            c.kill()
            c.wait()
    shutil.rmtree(work, ignore_errors=True)
