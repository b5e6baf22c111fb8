#!/usr/bin/env python3
"""A stand-in for the collector's nginx-rtmp hooks in tests.

    on_publish_responder.py PORT KEY LOGFILE

Answers POST /api/v1/media/on_publish with 204 when the form field `name` (the stream key) is KEY and
403 otherwise; /api/v1/media/on_publish_done always 204. Every call is appended to LOGFILE as one JSON
line {"path": ..., "name": ..., "status": ..., "secret": ...} (path without the query string; secret is
the `secret` query parameter the shipped nginx configuration sends).
"""
import json
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, KEY, LOG = int(sys.argv[1]), sys.argv[2], sys.argv[3]


class Hooks(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        name = (form.get("name") or [""])[0]
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        secret = (urllib.parse.parse_qs(url.query).get("secret") or [""])[0]
        if path == "/api/v1/media/on_publish_done":
            status = 204
        elif path == "/api/v1/media/on_publish":
            status = 204 if name == KEY else 403
        else:
            status = 404
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({"path": path, "name": name, "status": status, "secret": secret}) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Hooks).serve_forever()
