#!/usr/bin/env python3
"""N SIGKILL cycles of the real classroomd with exactly-once accounting (ARCHITECTURE.md §7, issue 13).

Starts the real `classroom-collector serve` (SQLite in a temporary folder, or --db postgres://…),
imports the sample county, enrolls one real `classroomd` into a room of school S00001 and runs it on
a simulated classroom machine: the umockdev device tree --tree (Tests/Fixtures/umockdev) and an ALSA
`type file` microphone playing generated speech (Tests/Fixtures/audio), with 1-second usage
"minutes" (CLASSROOMD_USAGE_PERIOD_SECONDS=1) and a heartbeat every --heartbeat seconds, so that the
agent appends (one fsynced SQLite commit per group of events) and uploads all the time.

Each cycle starts the agent, waits a random --min-ms…--max-ms from the spawn (so kills land in
start-up, mid-append, mid-upload and between), and sends SIGKILL; the cycle counts only when the
agent really died of that SIGKILL. Just before each kill the agent's threads are sampled
(/proc/PID/task/*/syscall) to count kills that landed inside the outbox's disk I/O
(fsync/fdatasync/pwrite64). After the last cycle a calm run (heartbeat once an hour) drains the outbox
and stops with SIGTERM. Then the accounting reads the collector's events table directly:

  created     every sequence number the agent's outbox assigned (1…last_sequence; AUTOINCREMENT, so
              a number is assigned only by a committed append and never reused)
  lost        assigned numbers the collector does not hold, beyond the usage minutes the agent
              itself reported as dropped (usage_dropped events; the outbox bound is not reached here)
  duplicated  extra copies: rows beyond one per sequence number, usage minutes whose minute start
              is stored twice, inventory snapshots beyond one per agent start
  unexpected  stored sequence numbers the agent never assigned
  resent      events the collector received again and acknowledged as duplicates (its
              collector_events_duplicate_total): kills between its commit and the agent's record of
              the acknowledgement, so the re-send path was exercised

Exit status 0 when nothing was lost, duplicated or unexpected, every cycle ended by SIGKILL and the
outbox drained; 1 otherwise; 2 on a usage or set-up error. --self-test then corrupts a copy of the
collector's SQLite store (deletes one delivered event, copies one usage minute under a new number)
and requires the accounting to report exactly that, so the checker itself cannot rot.

  scripts/bench/agent-kill-cycles.py --cycles 1000 --json /tmp/kill-cycles.json
  scripts/bench/agent-kill-cycles.py --cycles 10 --bin .build/debug --self-test     # smoke test
"""
import argparse, json, os, random, re, shutil, signal, sqlite3, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROOM = "S00001-R001"
# x86_64 and aarch64 numbers of the syscalls through which SQLite writes and syncs the outbox.
DISK_IO_SYSCALLS = {"x86_64": {74, 75, 18}, "aarch64": {82, 83, 68}}


def parse_arguments():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cycles", type=int, default=1000, help="SIGKILL cycles (default 1000)")
    p.add_argument("--bin", default=os.environ.get("CLASSROOMFLEET_BIN") or os.path.join(ROOT, ".build/debug"),
                   help="folder with classroomd, classroom-collector, classroomctl "
                        "(default $CLASSROOMFLEET_BIN or .build/debug)")
    p.add_argument("--db", default="", help="collector database URL (default: a fresh SQLite file); "
                                            "a postgres://… database is used as it is, this run's device only")
    p.add_argument("--json", default="", help="also write the summary as JSON to this file")
    p.add_argument("--seed", type=int, default=None, help="seed of the random kill moments")
    p.add_argument("--min-ms", type=int, default=20, help="earliest kill after the spawn (default 20 ms)")
    p.add_argument("--max-ms", type=int, default=1500, help="latest kill after the spawn (default 1500 ms)")
    p.add_argument("--heartbeat", type=float, default=0.005, help="heartbeat_seconds while killing (default 0.005)")
    p.add_argument("--tree", default="recording-classroom", help="umockdev tree in Tests/Fixtures/umockdev")
    p.add_argument("--microphone", default="speech_zh", help="ALSA PCM of the audio fixtures")
    p.add_argument("--no-hardware", action="store_true", help="no umockdev tree and no microphone (heartbeats only)")
    p.add_argument("--self-test", action="store_true",
                   help="afterwards check that the accounting catches one lost and one duplicated event (SQLite)")
    p.add_argument("--keep", action="store_true", help="keep the work folder (logs, databases)")
    a = p.parse_args()
    if a.cycles < 1:
        p.error(f"--cycles must be at least 1, found {a.cycles}")
    if not 0 <= a.min_ms <= a.max_ms:
        p.error(f"--min-ms and --max-ms need 0 ≤ --min-ms ≤ --max-ms, found {a.min_ms} and {a.max_ms}")
    if not 0 < a.heartbeat <= 86400:
        p.error(f"--heartbeat must be in (0, 86400] seconds, found {a.heartbeat}")
    if a.self_test and a.db.startswith("postgres"):
        p.error("--self-test corrupts a copy of a SQLite store; it cannot be combined with a PostgreSQL --db")
    return a


def fail(message):
    print(f"agent-kill-cycles: {message}", file=sys.stderr)
    sys.exit(2)


class Run:
    """The processes and files of one bench run."""

    def __init__(self, a):
        self.a = a
        for name in ("classroomd", "classroom-collector", "classroomctl"):
            if not os.access(os.path.join(a.bin, name), os.X_OK):
                fail(f"{a.bin}/{name} is missing: build first (swift build) or pass --bin")
        self.work = tempfile.mkdtemp(prefix="agent-kill-cycles.")
        self.children = []
        self.bin = lambda name: os.path.join(a.bin, name)
        self.db = a.db or f"sqlite:{self.work}/collector.sqlite"
        self.agent_env = {}
        self.starts = 0

    def run(self, args, env=None):
        out = subprocess.run(args, env=dict(os.environ, **(env or {})), capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            fail(f"{' '.join(args)} failed ({out.returncode}): {out.stderr.strip()}")
        return out.stdout

    def spawn(self, args, env=None, **kw):
        proc = subprocess.Popen(args, env=dict(os.environ, **(env or {})), **kw)
        self.children.append(proc)
        return proc

    def start_collector(self):
        token = self.run([self.bin("classroom-collector"), "token", "create", "--role", "bureau_admin",
                          "--name", "agent-kill-cycles", "--db", self.db]).strip()
        self.collector = self.spawn([self.bin("classroom-collector"), "serve", "--listen", "127.0.0.1:0",
                                     "--db", self.db, "--log-level", "error"], stdout=subprocess.PIPE, text=True)
        line = self.collector.stdout.readline()
        match = re.search(r"listening on .*:(\d+)", line)
        if not match:
            fail(f"the collector did not start: {line!r}")
        self.base = f"http://127.0.0.1:{match.group(1)}"
        env = {"CLASSROOM_TOKEN": token}
        ctl = self.bin("classroomctl")
        self.run([ctl, "registry", "import", os.path.join(ROOT, "Deploy/examples/county"), "--collector", self.base], env)
        out = self.run([ctl, "enroll-token", "create", "--collector", self.base, "--school", "S00001", "--uses", "1"], env)
        self.enrollment_token = re.search(r"cfe_[A-Za-z0-9_-]+", out).group(0)

    def prepare_hardware(self):
        """A umockdev testbed held by one long-lived umockdev-run (until its input closes); each agent start
        gets its environment, so classroomd is this script's own child and its SIGKILL death is exact."""
        if self.a.no_hardware:
            return
        if not shutil.which("umockdev-run"):
            fail("umockdev-run is missing (bash scripts/install-deps.sh test), or pass --no-hardware")
        tree = os.path.join(ROOT, "Tests/Fixtures/umockdev", self.a.tree + ".umockdev")
        if not os.path.exists(tree):
            fail(f"no device tree {tree}")
        audio = os.environ.get("CLASSROOMFLEET_AUDIO_FIXTURES") or "/tmp/classroomfleet-audio-fixtures"
        self.run(["bash", os.path.join(ROOT, "Tests/Fixtures/audio/make-audio-fixtures.sh"), audio])
        self.testbed = self.spawn(
            ["umockdev-run", "-d", tree, "--", "sh", "-c",
             'printf "%s\\n%s\\n" "$UMOCKDEV_DIR" "$LD_PRELOAD"; read _'],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        umockdev_dir, preload = self.testbed.stdout.readline().strip(), self.testbed.stdout.readline().strip()
        if not umockdev_dir or not preload:
            fail("umockdev-run did not report its testbed")
        self.agent_env = {"UMOCKDEV_DIR": umockdev_dir, "LD_PRELOAD": preload,
                          "ALSA_CONFIG_PATH": os.path.join(audio, "asound.conf"),
                          "CLASSROOMD_USAGE_PERIOD_SECONDS": "1"}

    def configure_agent(self, heartbeat):
        self.agent_dir = os.path.join(self.work, "agent")
        os.makedirs(self.agent_dir, exist_ok=True)
        self.conf = os.path.join(self.agent_dir, "classroomd.toml")
        microphone = "" if self.a.no_hardware else f'microphone = "{self.a.microphone}"\n'
        with open(self.conf, "w") as f:
            f.write(f'collector = "{self.base}"\nstate_directory = "{self.agent_dir}/state"\n'
                    "first_connect_jitter_seconds = 0\nbackoff_max_seconds = 0.5\npoll_wait_seconds = 2\n"
                    f"status_port = 0\nlog_level = \"warning\"\nheartbeat_seconds = {heartbeat}\n{microphone}")

    def enroll(self):
        self.configure_agent(self.a.heartbeat)
        self.run([self.bin("classroomd"), "enroll", "--collector", self.base, "--token", self.enrollment_token,
                  "--room", ROOM, "--config", self.conf])
        self.log = open(os.path.join(self.agent_dir, "run.log"), "a")

    def start_agent(self):
        self.starts += 1
        return self.spawn([self.bin("classroomd"), "run", "--config", self.conf], env=self.agent_env,
                          stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def status(self):
        return json.loads(self.run([self.bin("classroomd"), "status", "--json", "--config", self.conf]))

    def stop(self):
        for c in self.children:
            if c.poll() is None:
                if c is getattr(self, "testbed", None):
                    c.stdin.close()  # its shell ends, umockdev-run removes the testbed
                else:
                    c.kill()
                c.wait()
        if self.a.keep:
            print(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def in_disk_io(pid, numbers):
    """Whether a thread of `pid` is inside one of the syscalls `numbers` right now."""
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/syscall") as f:
                first = f.read().split(" ", 1)[0]
            if first.lstrip("-").isdigit() and int(first) in numbers:
                return True
    except OSError:
        pass
    return False


def kill_cycles(r, rng):
    """The N cycles; returns (killed, disk_io_kills, early_exits)."""
    numbers = DISK_IO_SYSCALLS.get(os.uname().machine, set())
    killed, disk_io, early = 0, 0, []
    started = time.monotonic()
    for cycle in range(1, r.a.cycles + 1):
        proc = r.start_agent()
        deadline = time.monotonic() + rng.uniform(r.a.min_ms, r.a.max_ms) / 1000
        while (remaining := deadline - time.monotonic()) > 0:
            time.sleep(min(0.01, remaining))
        disk_io += in_disk_io(proc.pid, numbers)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        r.children.remove(proc)
        if proc.returncode == -signal.SIGKILL:
            killed += 1
        else:
            early.append((cycle, proc.returncode))
        step = max(1, r.a.cycles // 20)
        if cycle % step == 0 or cycle == r.a.cycles:
            elapsed = time.monotonic() - started
            print(f"  cycle {cycle}/{r.a.cycles}: {elapsed:.0f} s, {elapsed / cycle:.2f} s per cycle", flush=True)
    return killed, disk_io, early


def drain(r):
    """A calm run until the outbox is empty and the collector holds everything; then SIGTERM."""
    r.configure_agent(3600)
    for _ in range(3):
        proc = r.start_agent()
        # At least two usage periods, so the calm run also shows the agent metering again after the kills.
        time.sleep(0 if r.a.no_hardware else 2.5)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            s = r.status()
            if s["queue_depth"] == 0 and stored_count(r, s["device_id"]) >= (s["last_sequence"] or 0):
                break
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        r.children.remove(proc)
        s = r.status()
        if s["queue_depth"] == 0:
            return s, True
    return s, False


def query(db, sql, params=()):
    """Rows of the collector's database (SQLite read-only, or PostgreSQL through psql)."""
    if db.startswith("sqlite:"):
        with sqlite3.connect(f"file:{db[7:]}?mode=ro", uri=True) as c:
            return [tuple(row) for row in c.execute(sql, params)]
    literal = sql.replace("?", "{}").format(*("'" + str(p).replace("'", "''") + "'" for p in params))
    out = subprocess.run(["psql", db, "-X", "-q", "-t", "-A", "-F", "\t", "-c", literal], capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"psql: {out.stderr.strip()}")
    return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line]


def stored_count(r, device):
    return int(query(r.db, "SELECT count(*) FROM events WHERE device_id = ?", (device,))[0][0])


def account(db, device, created, starts):
    """Exactly-once accounting of one device's events in the collector's store."""
    rows = query(db, "SELECT seq, kind, agent_at, body FROM events WHERE device_id = ?", (device,))
    seqs = [int(row[0]) for row in rows]
    stored = set(seqs)
    kinds, minutes, snapshots, dropped = {}, {}, 0, 0
    for _, kind, agent_at, body in rows:
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "usage_minute":
            minutes[int(agent_at)] = minutes.get(int(agent_at), 0) + 1
        elif kind == "inventory_snapshot":
            snapshots += 1
        elif kind == "usage_dropped":
            dropped += int(json.loads(body)["dropped"]["count"])
    missing = set(range(1, created + 1)) - stored
    duplicated = (len(seqs) - len(stored)) + sum(n - 1 for n in minutes.values()) + max(0, snapshots - starts)
    return {
        "events_created": created, "events_stored": len(stored), "lost": max(0, len(missing) - dropped),
        "missing_sequence_numbers": sorted(missing)[:20], "dropped_reported": dropped, "duplicated": duplicated,
        "unexpected": len(stored - set(range(1, created + 1))), "kinds": dict(sorted(kinds.items())),
    }


def self_test(r, device, created, starts):
    """Corrupts a copy of the SQLite store and checks that the accounting reports exactly that."""
    copy = os.path.join(r.work, "corrupted.sqlite")
    with sqlite3.connect(f"file:{r.db[7:]}?mode=ro", uri=True) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as c:
        victim = c.execute("SELECT seq FROM events WHERE device_id = ? AND kind = 'heartbeat' ORDER BY seq LIMIT 1 "
                           "OFFSET 1", (device,)).fetchone()[0]
        c.execute("DELETE FROM events WHERE device_id = ? AND seq = ?", (device, victim))
        minute = c.execute("SELECT kind, agent_at, at, received_at, body FROM events WHERE device_id = ? "
                           "AND kind = 'usage_minute' LIMIT 1", (device,)).fetchone()
        if minute is None:
            fail("--self-test: no usage minute was stored (run longer cycles or without --no-hardware)")
        c.execute("INSERT INTO events (device_id, seq, kind, agent_at, at, received_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (device, created + 1) + tuple(minute))
    got = account("sqlite:" + copy, device, created, starts)
    ok = got["lost"] == 1 and got["missing_sequence_numbers"] == [victim] and got["duplicated"] == 1 \
        and got["unexpected"] == 1
    print(f"self-test: deleted seq {victim}, copied a usage minute as seq {created + 1}: accounting says "
          f"lost {got['lost']} {got['missing_sequence_numbers']}, duplicated {got['duplicated']}, "
          f"unexpected {got['unexpected']}: {'caught' if ok else 'NOT CAUGHT'}")
    return ok


def collector_metric(r, name):
    import urllib.request
    text = urllib.request.urlopen(r.base + "/metrics", timeout=30).read().decode()
    match = re.search(rf"^{name} (\d+)", text, re.M)
    return int(match.group(1)) if match else None


def main():
    a = parse_arguments()
    if a.seed is None:
        a.seed = random.SystemRandom().randrange(1 << 32)
    rng = random.Random(a.seed)
    r = Run(a)
    try:
        r.start_collector()
        r.prepare_hardware()
        r.enroll()
        hardware = "no hardware" if a.no_hardware else f"umockdev tree {a.tree}, microphone {a.microphone}"
        print(f"classroomd {ROOM} -> {r.base} ({r.db.split(':')[0]}), {hardware}, heartbeat every {a.heartbeat} s, "
              f"usage minute every 1 s; {a.cycles} SIGKILL cycles of {a.min_ms}-{a.max_ms} ms (--seed {a.seed})", flush=True)
        t0 = time.monotonic()
        killed, disk_io, early = kill_cycles(r, rng)
        kill_seconds = time.monotonic() - t0
        status, drained = drain(r)
        wall = time.monotonic() - t0
        resent = collector_metric(r, "collector_events_duplicate_total")
        r.collector.send_signal(signal.SIGTERM)
        r.collector.wait(timeout=30)
        device, created = status["device_id"], status["last_sequence"] or 0
        summary = {
            "command": " ".join([os.path.relpath(sys.argv[0], ROOT)] + sys.argv[1:]), "cycles": a.cycles,
            "seed": a.seed, "killed_by_sigkill": killed, "exited_before_kill": early[:20], "kills_in_outbox_disk_io": disk_io,
            "store": r.db.split(":")[0], "hardware": hardware, "heartbeat_seconds": a.heartbeat,
            **account(r.db, device, created, r.starts), "resent_duplicates_acknowledged": resent,
            "outbox_drained": drained, "outbox_moved_aside": status.get("outbox_moved_aside"),
            "dropped_usage_total": status.get("dropped_usage_total"), "wall_seconds": round(wall, 1),
            "seconds_per_cycle": round(kill_seconds / a.cycles, 3),
        }
        ok = (summary["lost"] == 0 and summary["duplicated"] == 0 and summary["unexpected"] == 0 and drained
              and killed == a.cycles and not summary["outbox_moved_aside"])
        summary["result"] = "pass" if ok else "FAIL"
        print(f"cycles {a.cycles} (killed by SIGKILL {killed}, {disk_io} inside outbox disk I/O), "
              f"events created {created}, stored {summary['events_stored']}, lost {summary['lost']}, "
              f"duplicated {summary['duplicated']}, unexpected {summary['unexpected']}, "
              f"re-sent and acknowledged as duplicates {resent}, outbox drained {drained}, "
              f"wall time {wall:.0f} s ({summary['seconds_per_cycle']} s per cycle): {summary['result']}")
        print(f"  by kind: {summary['kinds']}")
        if summary["missing_sequence_numbers"]:
            print(f"  missing sequence numbers (first 20): {summary['missing_sequence_numbers']}")
        if early:
            print(f"  cycles that ended before the kill (cycle, status): {early[:20]}; see {r.agent_dir}/run.log")
        if a.self_test:
            summary["self_test"] = "caught" if self_test(r, device, created, r.starts) else "NOT CAUGHT"
            ok = ok and summary["self_test"] == "caught"
        if a.json:
            with open(a.json, "w") as f:
                json.dump(summary, f, indent=2, ensure_ascii=False)
                f.write("\n")
        return 0 if ok else 1
    finally:
        r.stop()


if __name__ == "__main__":
    sys.exit(main())
