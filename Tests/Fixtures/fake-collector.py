#!/usr/bin/env python3
"""A small real HTTP peer for classroomd's tests: the four agent routes of ClassroomWire on loopback.

It keeps each (device, seq) once, like the real collector, counts re-sent duplicates, and answers every
batch - also an empty one - with the device's highest stored seq as acknowledged_through. It keeps the
command_result bodies and counts evidence events. Failures and hostile answers are injected through
/_test/fail {"route": "events"|"commands"|"ack"|"enroll"|"any", "mode": MODE, "count": N, ...}:
  "500" (any status), "429"/"503" (with "retry_after": any text, sent verbatim as Retry-After),
  "drop" (connection closed), "slow" ("delay" seconds, then the normal answer),
  "huge" (200 with Content-Length "bytes", default 1 GiB, streamed from a generator, never held),
  "drip" (200 whose body arrives one byte per second), "raw" (200 with "body", a string sent verbatim).
State is read through /_test/state; commands are queued through /_test/command (a command object with
"device_id", or {"device_id": D, "command": ANY} for a raw one); /_test/seqs {"device_id", "seqs"} makes
it hold seqs already (events of an outbox lost since). The bodies of the hardware events (usage
minutes, inventory snapshots and changes; the last 1000 per device) are read through /_test/events.
Usage: fake-collector.py --port-file FILE [--token cfe_x:school-1:3 ...]
"""
import argparse
import json
import os
import secrets
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Condition()
tokens = {}  # token -> {"school": id, "uses_left": n}
devices = {}  # credential -> {"device_id", "room_id", "seqs": set, "duplicates": n, "batches": n, "kinds": {}}
commands = {}  # device_id -> [command dict] not yet acknowledged
failures = []  # [{"route": "events"|"commands"|"ack"|"enroll"|"any", "mode": MODE, "count": n, ...}]
log = []
STORED_KINDS = ("usage_minute", "inventory_snapshot", "inventory_change")


def now_ms():
    return int(time.time() * 1000)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, code, message):
        self.answer(status, {"error": code, "message": message})

    def body(self):
        return json.loads(self.raw_body or b"{}")

    def device(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return None
        return devices.get(auth[len("Bearer "):])

    def injected(self, route):
        """Applies the first matching injected failure; True when the request was answered by it."""
        with lock:
            rule = next((f for f in failures if f["route"] in (route, "any")), None)
            if rule is None:
                return False
            rule["count"] -= 1
            if rule["count"] <= 0:
                failures.remove(rule)
        mode = rule["mode"]
        log.append(f"inject {mode} on {route}")
        if mode in ("huge", "drip", "raw"):
            return self.stream(mode, rule, route)
        if mode == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return True
        if mode == "slow":
            time.sleep(rule.get("delay", 2))
            return False
        if mode in ("429", "503"):
            headers = {"Retry-After": str(rule["retry_after"])} if "retry_after" in rule else {}
            self.answer(int(mode), {"error": "busy", "message": "slow down"}, headers)
            return True
        self.error(int(mode), "internal", "injected failure")
        return True

    def stream(self, mode, rule, route):
        """A 200 answer no real collector gives: a huge body, a one-byte-a-second drip, or raw text."""
        try:
            if mode == "raw":
                data = rule["body"].encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return True
            total = int(rule.get("bytes", 1 << 30)) if mode == "huge" else 600
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(total))
            self.end_headers()
            if mode == "huge":
                chunk = b"[" * 65536
                sent = 0
                while sent < total:
                    n = min(len(chunk), total - sent)
                    self.wfile.write(chunk[:n])
                    sent += n
                with lock:
                    log.append(f"huge on {route}: all {sent} bytes sent")
            else:
                for _ in range(total):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(1)
        except (BrokenPipeError, ConnectionResetError):
            with lock:
                log.append(f"{mode} on {route}: the agent closed the connection")
        self.close_connection = True
        return True

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/_test/state":
            with lock:
                state = {d["device_id"]: {"room_id": d["room_id"], "seqs": sorted(d["seqs"]), "duplicates": d["duplicates"],
                                          "batches": d["batches"], "kinds": d["kinds"], "max_batch": d["max_batch"],
                                          "user_agent": d["user_agent"], "acked_commands": d["acked_commands"],
                                          "last_raw_at": d.get("last_raw_at"), "last_corrected_at": d.get("last_corrected_at"),
                                          "results": d["results"], "evidence": d["evidence"],
                                          "empty_batches": d["empty_batches"]}
                         for d in devices.values()}
            return self.answer(200, {"devices": state, "log": log[-100:]})
        if path == "/_test/events":
            with lock:
                stored = {d["device_id"]: d.get("events", []) for d in devices.values()}
            return self.answer(200, {"devices": stored})
        if path == "/api/v1/agent/commands":
            if self.injected("commands"):
                return
            device = self.device()
            if device is None:
                return self.error(401, "unauthorized", "unknown device credential")
            wait = 0
            for part in query.split("&"):
                if part.startswith("wait="):
                    wait = min(int(part[5:]), 60)
            deadline = time.time() + wait
            with lock:
                while not commands.get(device["device_id"]) and time.time() < deadline:
                    lock.wait(timeout=max(0.01, deadline - time.time()))
                pending = list(commands.get(device["device_id"], []))
            return self.answer(200, {"commands": pending})
        self.error(404, "not_found", f"no route GET {path}")

    def do_POST(self):
        # Read the whole body first, so an early answer leaves the kept-alive connection clean.
        self.raw_body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.partition("?")[0]
        if path == "/_test/fail":
            with lock:
                failures.append(self.body())
            return self.answer(200, {"ok": True})
        if path == "/_test/clear":
            with lock:
                failures.clear()
            return self.answer(200, {"ok": True})
        if path == "/_test/command":
            command = self.body()
            device_id = command.pop("device_id")
            command = command["command"] if "command" in command else command
            with lock:
                commands.setdefault(device_id, []).append(command)
                lock.notify_all()
            return self.answer(200, {"ok": True})
        if path == "/_test/seqs":
            request = self.body()
            with lock:
                device = next(d for d in devices.values() if d["device_id"] == request["device_id"])
                device["seqs"].update(request["seqs"])
            return self.answer(200, {"ok": True})
        if path == "/api/v1/agent/enroll":
            if self.injected("enroll"):
                return
            request = self.body()
            for field in ("token", "room_id", "public_key", "hostname", "agent_version"):
                if not isinstance(request.get(field), str):
                    return self.error(400, "invalid_request", f"enroll: field '{field}' is missing")
            with lock:
                token = tokens.get(request["token"])
                if token is None:
                    return self.error(401, "unauthorized", "unknown enrollment token")
                if token["uses_left"] <= 0:
                    return self.error(403, "forbidden", "enrollment token used up (use limit reached)")
                token["uses_left"] -= 1
                credential = "cfd_" + secrets.token_hex(16)
                device_id = f"dev-{len(devices) + 1}"
                devices[credential] = {"device_id": device_id, "room_id": request["room_id"], "seqs": set(),
                                       "duplicates": 0, "batches": 0, "kinds": {}, "max_batch": 0, "user_agent": "",
                                       "acked_commands": [], "results": [], "evidence": 0, "empty_batches": 0}
            return self.answer(200, {"device_id": device_id, "credential": credential, "school_id": token["school"],
                                     "room_id": request["room_id"], "server_time": now_ms()})
        if path == "/api/v1/agent/events":
            if self.injected("events"):
                return
            device = self.device()
            if device is None:
                return self.error(401, "unauthorized", "unknown device credential")
            batch = self.body()
            events = batch.get("events", [])
            if len(events) > 1000:
                return self.error(413, "too_large", "more than 1000 events")
            accepted = duplicates = 0
            with lock:
                device["batches"] += 1
                device["max_batch"] = max(device["max_batch"], len(events))
                device["user_agent"] = self.headers.get("User-Agent", "")
                # Correct agent clocks the way the collector does: shift every `at` by the batch's skew.
                skew = now_ms() - batch.get("sent_at", now_ms())
                if not events:
                    device["empty_batches"] += 1
                if events:
                    device["last_raw_at"] = events[-1]["at"]
                    device["last_corrected_at"] = events[-1]["at"] + skew
                for event in events:
                    if event["seq"] in device["seqs"]:
                        duplicates += 1
                    else:
                        device["seqs"].add(event["seq"])
                        device["kinds"][event["kind"]] = device["kinds"].get(event["kind"], 0) + 1
                        if event["kind"] in STORED_KINDS:
                            device.setdefault("events", []).append(event)
                            del device["events"][:-1000]
                        elif event["kind"] == "command_result":
                            device["results"].append(event["command_result"])
                        elif event["kind"] == "evidence":
                            device["evidence"] += 1
                        accepted += 1
                device["duplicates"] += duplicates
                through = max(device["seqs"], default=0)
            return self.answer(200, {"acknowledged_through": through, "accepted": accepted, "duplicates": duplicates,
                                     "clock_skew_ms": now_ms() - batch.get("sent_at", now_ms()), "server_time": now_ms()})
        if path == "/api/v1/agent/commands/ack":
            if self.injected("ack"):
                return
            device = self.device()
            if device is None:
                return self.error(401, "unauthorized", "unknown device credential")
            ids = set(self.body().get("ids", []))
            with lock:
                device["acked_commands"].extend(sorted(ids))
                commands[device["device_id"]] = [c for c in commands.get(device["device_id"], [])
                                                 if not (isinstance(c, dict) and c.get("id") in ids)]
            return self.answer(200, {"acknowledged": len(ids)})
        self.error(404, "not_found", f"no route POST {path}")


def exit_with_parent():
    """Stops when the test process that started this peer goes away (even after kill -9)."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main():
    # The test runner may start this with SIGTERM blocked or ignored; restore the default.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=exit_with_parent, daemon=True).start()
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--token", action="append", default=[], help="TOKEN:SCHOOL:USES")
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (and --tls-key)")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    for spec in args.token:
        token, school, uses = spec.split(":")
        tokens[token] = {"school": school, "uses_left": int(uses)}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.tls_cert:
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
