#!/usr/bin/env python3
"""Drives headless Chromium through the Chrome DevTools Protocol (CDP) for the console's browser tests.

Why CDP and not `chromium --dump-dom` / `--screenshot`: signing in needs cookies that persist from
one page to the next, forms that are filled and submitted, and the test must see what a person
would not: console errors, failed requests and the HTTP status of every response. `--dump-dom`
loads one URL with no state and reports none of that. CDP gives all of it from one browser process.

Only the standard library: the WebSocket client CDP needs is the small one below (RFC 6455, client
side, no extensions), so the test command needs no PyPI package for it.

Usage: browser.py --chromium PATH [--width 1280 --height 900] < steps.json > report.json
steps.json is a JSON list of steps, run in order in one tab (cookies are kept between steps):
  {"op": "open", "url": URL}                          navigate, wait for the load event
  {"op": "fill", "selector": CSS, "value": TEXT}      set an input's value
  {"op": "remove", "selector": CSS}                   remove elements (e.g. a form's csrf field)
  {"op": "submit", "selector": CSS}                   submit a form (requestSubmit), wait for the next page
  {"op": "click", "selector": CSS}                    click, wait for the next page
  {"op": "text", "selector": CSS}                     innerText of the first match (null when none)
  {"op": "texts", "selector": CSS}                    innerText of every match
  {"op": "attr", "selector": CSS, "name": NAME}       an attribute of the first match
  {"op": "eval", "expression": JS}                    a JavaScript value (returned by value)
  {"op": "url"}                                       the current URL
  {"op": "cookies"}                                   the tab's cookies (name, value, httpOnly, sameSite, secure)
  {"op": "screenshot", "path": FILE}                  a full-page PNG
The report: {"results": [one per step], "consoleErrors": [...], "failedRequests": [...],
"responses": [{"url", "status", "method"}]}; exit 0 when every step ran, 1 with {"error"} otherwise.
"""
import argparse
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


class WebSocket:
    """A minimal RFC 6455 client: text frames out (masked), text/continuation frames in."""

    def __init__(self, url, timeout=30):
        parts = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = parts.path + (("?" + parts.query) if parts.query else "")
        request = (f"GET {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("websocket handshake: connection closed")
            head += chunk
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status + b" ":
            raise RuntimeError(f"websocket handshake refused: {status!r}")
        self.buffer = head.split(b"\r\n\r\n", 1)[1]

    def send(self, text):
        payload = text.encode()
        header = bytearray([0x81])
        n = len(payload)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes(header) + mask + masked)

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buffer)))
            if not chunk:
                raise RuntimeError("websocket closed by the browser")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def receive(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            if b1 & 0x80:
                mask = self._read(4)
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read(n)))
            else:
                data = self._read(n)
            if opcode == 0x8:
                raise RuntimeError("websocket closed by the browser")
            if opcode in (0x9, 0xA):  # ping/pong: nothing to do for CDP
                continue
            message += data
            if b0 & 0x80:
                return message.decode()


class Browser:
    def __init__(self, chromium, width, height):
        self.profile = tempfile.mkdtemp(prefix="cf-chromium-")
        self.process = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-proxy-server", "--no-first-run",
             "--disable-extensions", "--disable-background-networking", "--disable-component-update",
             "--hide-scrollbars", f"--window-size={width},{height}", "--remote-debugging-port=0",
             f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.width, self.height = width, height
        port = self._port()
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.time() + 30
        while True:
            targets = json.load(opener.open(f"http://127.0.0.1:{port}/json/list", timeout=10))
            pages = [t for t in targets if t.get("type") == "page"]
            if pages or time.time() > deadline:
                break
            time.sleep(0.1)
        if not pages:
            raise RuntimeError("chromium opened no page")
        self.ws = WebSocket(pages[0]["webSocketDebuggerUrl"])
        self.next_id = 0
        self.events = []
        self.console_errors, self.failed_requests, self.responses = [], [], []
        self.requests = {}
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")

    def _port(self):
        path = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.process.returncode}")
            try:
                with open(path) as f:
                    line = f.readline().strip()
                if line:
                    return int(line)
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        raise RuntimeError("chromium did not open its DevTools port within 60 s")

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _observe(self, message):
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.console_errors.append(text)
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.console_errors.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.console_errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            self.requests[params["requestId"]] = (params["request"]["url"], params["request"]["method"])
        elif method == "Network.responseReceived":
            url, verb = self.requests.get(params["requestId"], (params["response"]["url"], "GET"))
            self.responses.append({"url": params["response"]["url"], "status": params["response"]["status"], "method": verb})
        elif method == "Network.loadingFailed":
            url, verb = self.requests.get(params["requestId"], ("?", "?"))
            self.failed_requests.append({"url": url, "method": verb, "error": params.get("errorText", "")})
        self.events.append(method)

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.receive())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
            self._observe(message)

    def wait_for(self, event, timeout=20):
        """Waits for `event` (a CDP method name) arriving after the mark set by mark()."""
        deadline = time.time() + timeout
        self.ws.sock.settimeout(timeout)
        while event not in self.events[self.mark_at:]:
            if time.time() > deadline:
                raise RuntimeError(f"no {event} within {timeout} s")
            self._observe(json.loads(self.ws.receive()))

    def mark(self):
        self.mark_at = len(self.events)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails'].get('text')} in {expression[:80]}")
        return result.get("result", {}).get("value")

    def element(self, selector):
        return f"document.querySelector({json.dumps(selector)})"

    def step(self, step):
        op = step["op"]
        if op == "open":
            self.mark()
            result = self.call("Page.navigate", url=step["url"])
            if result.get("errorText"):
                raise RuntimeError(f"open {step['url']}: {result['errorText']}")
            self.wait_for("Page.loadEventFired")
            return self.evaluate("location.href")
        if op == "fill":
            ok = self.evaluate(f"(() => {{ const e = {self.element(step['selector'])}; if (!e) return false; "
                               f"e.value = {json.dumps(step['value'])}; return true; }})()")
            if not ok:
                raise RuntimeError(f"fill: no element {step['selector']}")
            return True
        if op == "remove":
            return self.evaluate(f"(() => {{ const all = document.querySelectorAll({json.dumps(step['selector'])}); "
                                 "all.forEach(e => e.remove()); return all.length; })()")
        if op in ("submit", "click"):
            action = "requestSubmit()" if op == "submit" else "click()"
            self.mark()
            ok = self.evaluate(f"(() => {{ const e = {self.element(step['selector'])}; if (!e) return false; "
                               f"setTimeout(() => e.{action}, 0); return true; }})()")
            if not ok:
                raise RuntimeError(f"{op}: no element {step['selector']}")
            self.wait_for("Page.loadEventFired")
            return self.evaluate("location.href")
        if op == "text":
            return self.evaluate(f"(() => {{ const e = {self.element(step['selector'])}; return e ? e.innerText : null; }})()")
        if op == "texts":
            return self.evaluate(f"Array.from(document.querySelectorAll({json.dumps(step['selector'])})).map(e => e.innerText)")
        if op == "attr":
            return self.evaluate(f"(() => {{ const e = {self.element(step['selector'])}; "
                                 f"return e ? e.getAttribute({json.dumps(step['name'])}) : null; }})()")
        if op == "eval":
            return self.evaluate(step["expression"])
        if op == "url":
            return self.evaluate("location.href")
        if op == "cookies":
            cookies = self.call("Network.getCookies").get("cookies", [])
            return [{k: c.get(k) for k in ("name", "value", "httpOnly", "sameSite", "secure", "path")} for c in cookies]
        if op == "screenshot":
            metrics = self.call("Page.getLayoutMetrics")
            height = int(metrics.get("cssContentSize", metrics.get("contentSize", {})).get("height", self.height))
            self.call("Emulation.setDeviceMetricsOverride", width=self.width, height=max(self.height, min(height, 8000)),
                      deviceScaleFactor=1, mobile=False)
            data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
            self.call("Emulation.clearDeviceMetricsOverride")
            os.makedirs(os.path.dirname(os.path.abspath(step["path"])), exist_ok=True)
            with open(step["path"], "wb") as f:
                f.write(base64.b64decode(data))
            return step["path"]
        if op == "print":
            # Print media at a page's printable width: what overflows here overflows the paper.
            self.call("Emulation.setEmulatedMedia", media="print")
            self.call("Emulation.setDeviceMetricsOverride", width=int(step["width"]), height=self.height,
                      deviceScaleFactor=1, mobile=False)
            try:
                return self.evaluate(step["expression"])
            finally:
                self.call("Emulation.setEmulatedMedia", media="")
                self.call("Emulation.clearDeviceMetricsOverride")
        if op == "pdf":
            data = self.call("Page.printToPDF", preferCSSPageSize=True, printBackground=True)["data"]
            os.makedirs(os.path.dirname(os.path.abspath(step["path"])), exist_ok=True)
            with open(step["path"], "wb") as f:
                f.write(base64.b64decode(data))
            return len(base64.b64decode(data))
        raise RuntimeError(f"unknown step op '{op}'")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    steps = json.load(sys.stdin)
    browser = Browser(args.chromium, args.width, args.height)
    results = []
    try:
        for i, step in enumerate(steps):
            try:
                results.append(browser.step(step))
            except Exception as error:  # the report names the step that failed
                report = {"error": f"step {i} {json.dumps(step)[:200]}: {error}", "results": results,
                          "consoleErrors": browser.console_errors, "failedRequests": browser.failed_requests,
                          "responses": browser.responses}
                json.dump(report, sys.stdout)
                return 1
        json.dump({"results": results, "consoleErrors": browser.console_errors,
                   "failedRequests": browser.failed_requests, "responses": browser.responses}, sys.stdout)
        return 0
    finally:
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
