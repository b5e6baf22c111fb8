#!/usr/bin/env python3
"""A scripted, hostile collector for classroomd's hardening tests: the four agent routes on loopback,
plus answers no real collector should give.

Like the real collector it keeps each (device, seq) once and answers every batch - also an empty one -
with the device's highest stored seq as acknowledged_through. It keeps the body of every
command_result and evidence event. Scripted answers are queued through POST /_test/script:
  {"route": "events"|"commands"|"ack", "mode": MODE, "count": N, ...}
  MODE "429"   -> 429 with the header Retry-After: <retry_after> (any text, sent verbatim)
       "huge"  -> 200 with Content-Length <bytes> (default 1 GiB), streamed from a generator, never held
       "drip"  -> 200 whose body arrives one byte per second
       "raw"   -> 200 with <body> (a string sent verbatim, e.g. a hand-written command list)
Commands are queued raw (any JSON value) through POST /_test/command {"device_id": D, "command": {...}}.
State: GET /_test/state. Usage: hostile-collector.py --port-file FILE [--token TOKEN:SCHOOL:USES ...]
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
tokens = {}
devices = {}  # credential -> {"device_id", "seqs": set, "duplicates", "results": [..], "evidence": n, "acked": [..]}
commands = {}  # device_id -> [raw command] not yet acknowledged
script = []
log = []


def now_ms():
    return int(time.time() * 1000)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send_json(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, code, message):
        self.send_json(status, {"error": code, "message": message})

    def device(self):
        auth = self.headers.get("Authorization", "")
        return devices.get(auth[len("Bearer "):]) if auth.startswith("Bearer ") else None

    def scripted(self, route):
        """Plays the first scripted answer for `route`; True when it answered the request."""
        with lock:
            rule = next((r for r in script if r["route"] == route), None)
            if rule is None:
                return False
            rule["count"] -= 1
            if rule["count"] <= 0:
                script.remove(rule)
            log.append(f"{rule['mode']} on {route}")
        mode = rule["mode"]
        try:
            if mode == "429":
                body = b'{"error":"busy","message":"slow down"}'
                self.send_response(429)
                self.send_header("Retry-After", rule["retry_after"])
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif mode == "huge":
                total = int(rule.get("bytes", 1 << 30))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(total))
                self.end_headers()
                chunk = b"[" * 65536
                sent = 0
                while sent < total:
                    n = min(len(chunk), total - sent)
                    self.wfile.write(chunk[:n])
                    sent += n
                with lock:
                    log.append(f"huge on {route}: all {sent} bytes sent")
            elif mode == "drip":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "600")
                self.end_headers()
                for _ in range(600):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(1)
            elif mode == "raw":
                data = rule["body"].encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            with lock:
                log.append(f"{mode} on {route}: the agent closed the connection")
        self.close_connection = mode in ("huge", "drip")
        return True

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/_test/state":
            with lock:
                state = {d["device_id"]: {"seqs": sorted(d["seqs"]), "duplicates": d["duplicates"], "results": d["results"],
                                          "evidence": d["evidence"], "acked": d["acked"], "empty_batches": d["empty_batches"]}
                         for d in devices.values()}
                return self.send_json(200, {"devices": state, "log": log[-100:]})
        if path == "/api/v1/agent/commands":
            device = self.device()
            if device is None:
                return self.error(401, "unauthorized", "unknown device credential")
            if self.scripted("commands"):
                return
            wait = 0
            for part in query.split("&"):
                if part.startswith("wait="):
                    wait = min(int(part[5:]), 60)
            deadline = time.time() + wait
            with lock:
                while not commands.get(device["device_id"]) and time.time() < deadline:
                    lock.wait(timeout=max(0.01, deadline - time.time()))
                pending = list(commands.get(device["device_id"], []))
            return self.send_json(200, {"commands": pending})
        self.error(404, "not_found", f"no route GET {path}")

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.loads(raw or b"{}")
        path = self.path.partition("?")[0]
        if path == "/_test/script":
            with lock:
                script.append(body)
            return self.send_json(200, {"ok": True})
        if path == "/_test/command":
            with lock:
                commands.setdefault(body["device_id"], []).append(body["command"])
                lock.notify_all()
            return self.send_json(200, {"ok": True})
        if path == "/_test/seqs":  # the collector already holds these seqs for the device (before a corrupt outbox)
            with lock:
                device = next(d for d in devices.values() if d["device_id"] == body["device_id"])
                device["seqs"].update(body["seqs"])
            return self.send_json(200, {"ok": True})
        if path == "/api/v1/agent/enroll":
            with lock:
                token = tokens.get(body.get("token"))
                if token is None or token["uses_left"] <= 0:
                    return self.error(401, "unauthorized", "unknown or used-up enrollment token")
                token["uses_left"] -= 1
                credential = "cfd_" + secrets.token_hex(16)
                device_id = f"dev-{len(devices) + 1}"
                devices[credential] = {"device_id": device_id, "seqs": set(), "duplicates": 0, "results": [],
                                       "evidence": 0, "acked": [], "empty_batches": 0}
            return self.send_json(200, {"device_id": device_id, "credential": credential, "school_id": token["school"],
                                        "room_id": body.get("room_id", ""), "server_time": now_ms()})
        device = self.device()
        if device is None:
            return self.error(401, "unauthorized", "unknown device credential")
        if path == "/api/v1/agent/events":
            if self.scripted("events"):
                return
            events = body.get("events", [])
            accepted = duplicates = 0
            with lock:
                if not events:
                    device["empty_batches"] += 1
                for event in events:
                    if event["seq"] in device["seqs"]:
                        duplicates += 1
                        continue
                    device["seqs"].add(event["seq"])
                    accepted += 1
                    if event["kind"] == "command_result":
                        device["results"].append(event["command_result"])
                    elif event["kind"] == "evidence":
                        device["evidence"] += 1
                device["duplicates"] += duplicates
                through = max(device["seqs"], default=0)
            return self.send_json(200, {"acknowledged_through": through, "accepted": accepted, "duplicates": duplicates,
                                        "clock_skew_ms": now_ms() - body.get("sent_at", now_ms()),
                                        "server_time": now_ms()})
        if path == "/api/v1/agent/commands/ack":
            if self.scripted("ack"):
                return
            ids = set(body.get("ids", []))
            with lock:
                device["acked"].extend(sorted(ids))
                commands[device["device_id"]] = [c for c in commands.get(device["device_id"], [])
                                                 if not (isinstance(c, dict) and c.get("id") in ids)]
            return self.send_json(200, {"acknowledged": len(ids)})
        self.error(404, "not_found", f"no route POST {path}")


def exit_with_parent():
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main():
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=exit_with_parent, daemon=True).start()
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--token", action="append", default=[])
    args = parser.parse_args()
    for spec in args.token:
        token, school, uses = spec.split(":")
        tokens[token] = {"school": school, "uses_left": int(uses)}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
