#!/usr/bin/env python3
"""Runs a test command and turns a hang into a failure with a cause.

    test-watchdog.py [--quiet-minutes N | --quiet-seconds N] [--stacks DIR] -- COMMAND [ARG...]

COMMAND's output (stdout and stderr together) is passed through line by line. The watchdog follows
swift-testing's console lines ("◇ Test X started.", "✔ Test X passed after …", "✘ Test X failed
after …"). When no test starts or ends for the quiet time (default 10 minutes, or the environment's
CLASSROOMFLEET_TEST_QUIET_MINUTES), it:

  1. names every test that started and has not ended,
  2. writes every thread's stack of each process of the run that matches --stacks-of (the test
     binary and ClassroomFleet's programs; gdb, when installed) to DIR/hang-PID.txt (default /tmp),
     and lists the others,
  3. kills all of them and exits 124.

Otherwise it exits with COMMAND's status. The longest test of the suite runs about 2 minutes alone,
so 10 quiet minutes is a hang, not a slow machine: without this a hung test would hold CI for its
whole time limit and leave no clue which test it was.

COMMAND should write its output unbuffered or line-buffered (scripts/test.sh runs `swift test` under
`stdbuf -oL -eL`); a block-buffered test binary can hold the very lines that say which test hangs.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

ANSI = re.compile(r"\x1b\[[0-9;]*m")
STARTED = re.compile(r"^◇ Test (?!case )(.*) started\.$")
ENDED = re.compile(r"^[✔✘➜] Test (?!case )(.*?)(?: with \d+ test cases?)? (?:passed|failed|skipped)\b")


class Tracker:
    """Tests started and not ended, and when a test last started or ended."""

    def __init__(self):
        self.running = {}
        self.last_event = time.monotonic()
        self.lock = threading.Lock()

    def line(self, text):
        plain = ANSI.sub("", text).rstrip("\r\n")
        with self.lock:
            m = STARTED.match(plain)
            if m:
                self.running[m.group(1)] = time.monotonic()
                self.last_event = time.monotonic()
                return
            m = ENDED.match(plain)
            if m:
                self.running.pop(m.group(1), None)
                self.last_event = time.monotonic()

    def quiet_for(self):
        with self.lock:
            return time.monotonic() - self.last_event

    def unfinished(self):
        with self.lock:
            return sorted(self.running.items(), key=lambda item: item[1])


def run_processes(root):
    """Every live process of the run, oldest first: COMMAND (`root`, which leads a session of its own),
    the processes in its session and their descendants in sessions of their own (servers a test starts
    with setsid)."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
            with open(f"/proc/{name}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        # The fields after the command name (which may hold spaces and parentheses).
        fields = stat[stat.rfind(")") + 2:].split()
        table[int(name)] = (int(fields[1]), int(fields[3]), cmdline or stat[stat.find("(") + 1:stat.rfind(")")])
    members = {pid for pid, (_, sid, _) in table.items() if sid == root}
    grew = True
    while grew:
        more = {pid for pid, (ppid, _, _) in table.items() if ppid in members and pid not in members}
        members |= more
        grew = bool(more)
    return sorted((pid, table[pid][2]) for pid in members)


def dump_stacks(processes, directory, pattern, say):
    gdb = shutil.which("gdb")
    if gdb is None:
        say("test-watchdog: gdb is not installed; no stacks written (apt-get install gdb)")
        return
    os.makedirs(directory, exist_ok=True)
    for pid, cmdline in processes:
        if not re.search(pattern, cmdline):
            say(f"test-watchdog: pid {pid} ({cmdline[:100]})")
            continue
        path = os.path.join(directory, f"hang-{pid}.txt")
        try:
            with open(path, "w") as out:
                out.write(f"# pid {pid}: {cmdline}\n")
                out.flush()
                subprocess.run(
                    [gdb, "-batch", "-nx", "-p", str(pid), "-ex", "info threads", "-ex", "thread apply all bt"],
                    stdout=out, stderr=subprocess.STDOUT, timeout=120)
            say(f"test-watchdog: stacks of pid {pid} ({cmdline[:100]}) in {path}")
        except (OSError, subprocess.TimeoutExpired) as e:
            say(f"test-watchdog: no stacks of pid {pid}: {e}")


def main():
    parser = argparse.ArgumentParser(
        description="Run a test command; fail it with the unfinished tests and their stacks when it hangs.")
    quiet = parser.add_mutually_exclusive_group()
    quiet.add_argument("--quiet-minutes", type=float, help="quiet time before a hang is declared (default 10)")
    quiet.add_argument("--quiet-seconds", type=float, help="the same in seconds")
    parser.add_argument("--stacks", default="/tmp", help="directory for the hang-PID.txt stack dumps (default /tmp)")
    parser.add_argument(
        "--stacks-of", default=r"\.xctest|classroom", metavar="REGEX",
        help="stacks only of processes whose command line matches (default: the test binary and ClassroomFleet's)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG...]")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given (test-watchdog.py [options] -- COMMAND [ARG...])")
    if args.quiet_seconds is not None:
        limit = args.quiet_seconds
    elif args.quiet_minutes is not None:
        limit = args.quiet_minutes * 60
    else:
        try:
            limit = float(os.environ.get("CLASSROOMFLEET_TEST_QUIET_MINUTES", "10")) * 60
        except ValueError:
            parser.error("CLASSROOMFLEET_TEST_QUIET_MINUTES must be a number of minutes")
    if limit <= 0:
        parser.error("the quiet time must be more than 0")

    out = sys.stdout.buffer

    def say(text):
        out.write((text + "\n").encode())
        out.flush()

    try:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as e:
        say(f"test-watchdog: cannot run {command[0]}: {e}")
        return 127
    tracker = Tracker()

    def pump():
        for raw in iter(child.stdout.readline, b""):
            out.write(raw)
            out.flush()
            tracker.line(raw.decode(errors="replace"))

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    while True:
        try:
            status = child.wait(timeout=min(5.0, limit / 4))
            reader.join(timeout=10)
            return status if status >= 0 else 128 - status
        except subprocess.TimeoutExpired:
            pass
        if tracker.quiet_for() < limit:
            continue
        quiet = f"{limit / 60:g} minutes" if limit >= 60 else f"{limit:g} seconds"
        say(f"\ntest-watchdog: no test started or ended in the last {quiet}: the run hangs.")
        unfinished = tracker.unfinished()
        if unfinished:
            say(f"test-watchdog: {len(unfinished)} test(s) started and did not end:")
            now = time.monotonic()
            for name, since in unfinished:
                say(f"test-watchdog:   {name} (running {now - since:.0f} s)")
        else:
            say("test-watchdog: every test that started has ended; the command itself is stuck")
        processes = run_processes(child.pid)
        dump_stacks(processes, args.stacks, args.stacks_of, say)
        for pid, _ in processes:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        child.wait()
        reader.join(timeout=10)
        say("test-watchdog: killed the run; exit 124")
        return 124


if __name__ == "__main__":
    sys.exit(main())
