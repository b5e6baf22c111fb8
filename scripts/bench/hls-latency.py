#!/usr/bin/env python3
"""Camera-to-viewer latency of live viewing (target <= 10 s, ARCHITECTURE.md section 7).

    python3 scripts/bench/hls-latency.py [--seconds 40] [--chromium /usr/bin/chromium]

What runs: nginx with the rtmp module from the SHIPPED configurations (Deploy/media/nginx-rtmp.conf
and nginx-site.conf, rendered by Tests/Fixtures/media/media-server.sh), fed by ffmpeg with the
agent's encoder settings (libx264 veryfast/zerolatency, keyframe every 50 frames, 25 fps); headless
Chromium plays the HLS in a plain <video> through the HTTP site, exactly as the watch page does.
The collector's hooks and its auth_request are answered by a stand-in in this script (on_publish:
302 to lesson-BENCH, the rename the collector does; authorize: 204), so the figure is the media
path; the collector's authorization adds one loopback subrequest per playlist/fragment.

How: every frame encodes its frame number N in 16 black/white bars (ffmpeg lavfi + geq). With -re,
frame N leaves ffmpeg at T0 + N/25 s, T0 being when ffmpeg started (so the figure includes ffmpeg's
start-up and is, if anything, high). The browser draws the playing video on a canvas every 500 ms,
reads N back from the bars, and latency = Date.now() - (T0 + N * 40 ms). Both run on this machine's
clock. A benchmark, not a test: it prints figures and asserts nothing.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FPS = 25
BITS = 16
PAGE = b"""<!doctype html><meta charset="utf-8"><title>hls latency</title>
<video id="player" muted playsinline width="640" height="360"></video>"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector(BaseHTTPRequestHandler):
    """The collector's part: on_publish renames to lesson-BENCH; every viewer is authorized; the page."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/api/v1/media/on_publish?"):
            self.send_response(302)
            self.send_header("Location", "lesson-BENCH")
        else:
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        if self.path.startswith("/console/media/authorize"):
            self.send_response(204)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


# Reads N from the bars of the current frame; answers samples [{latency, n}] over `seconds`.
SAMPLER = """
new Promise(resolve => {
  const v = document.getElementById('player');
  const t0 = %(t0)d, bits = %(bits)d, fps = %(fps)d, samples = [], until = Date.now() + %(ms)d;
  const c = document.createElement('canvas');
  (function sample() {
    if (v.readyState >= 2 && v.videoWidth > 0) {
      c.width = v.videoWidth; c.height = v.videoHeight;
      const g = c.getContext('2d');
      g.drawImage(v, 0, 0);
      const now = Date.now();
      let n = 0;
      for (let b = 0; b < bits; b++) {
        const x = Math.floor((b + 0.5) * c.width / bits);
        const p = g.getImageData(x, Math.floor(c.height / 6), 1, 1).data;
        if (p[0] + p[1] + p[2] > 3 * 128) n += 2 ** b;
      }
      samples.push({n: n, latency: now - (t0 + n * 1000 / fps), time: v.currentTime});
    }
    if (Date.now() < until) setTimeout(sample, 500); else resolve(samples);
  })();
})
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=40, help="how long to sample (after playback starts)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="cf-hls-latency-")
    os.chmod(work, 0o755)  # the nginx worker (nobody) reads the HLS below it
    hook_port, rtmp_port, http_port = free_port(), free_port(), free_port()
    server = ThreadingHTTPServer(("127.0.0.1", hook_port), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    media = os.path.join(work, "media")
    subprocess.run(["bash", os.path.join(REPO, "Tests/Fixtures/media/media-server.sh"), "start", media, str(rtmp_port),
                    f"http://127.0.0.1:{hook_port}", "bench-secret", f"http={http_port}"], check=True)
    duration = args.seconds + 40
    ffmpeg = None
    try:
        t0 = int(time.time() * 1000)
        ffmpeg = subprocess.Popen(
            ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
             f"testsrc2=size=640x360:rate={FPS}:duration={duration}",
             # The microphone's part, as the agent always sends one.
             "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=44100:duration={duration}",
             # The frame number in 16 bars over the top 120 rows: one pixel per bit (geq is per pixel:
             # kept tiny), scaled up, laid over the test pattern.
             "-filter_complex",
             f"color=c=black:size={BITS}x2:rate={FPS},format=gray,"
             "geq=lum='if(bitand(floor(N/pow(2,X)),1),235,16)',scale=640:120:flags=neighbor[bars];"
             "[0:v][bars]overlay=0:0:shortest=1,format=yuv420p[v]",
             "-map", "[v]", "-map", "1:a",
             "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-g", "50",
             "-b:v", "800k", "-c:a", "aac", "-b:a", "64k", "-ar", "44100", "-f", "flv",
             f"rtmp://127.0.0.1:{rtmp_port}/live/cfk_bench"])
        site = f"http://127.0.0.1:{http_port}"
        playlist = "/media/hls/lesson-BENCH/index.m3u8"
        steps = [{"op": "open", "url": site + "/bench"},
                 {"op": "eval", "expression": """new Promise(resolve => {
                    const v = document.getElementById('player'), started = Date.now();
                    (function attempt() {
                      fetch('%s', {cache: 'no-store'}).then(r => r.status === 200 ? r.text() : '').then(text => {
                        // As the watch page meets a running stream: a playlist of a few fragments.
                        if (text.split('.ts').length > 3) { v.src = '%s'; v.play().catch(() => {}); wait(); }
                        else if (Date.now() - started < 15000) setTimeout(attempt, 500); else resolve(false);
                      });
                    })();
                    function wait() {
                      if (v.currentTime > 0) resolve(Date.now() - started);
                      else if (Date.now() - started < 15000) setTimeout(wait, 100);
                      else resolve({readyState: v.readyState, error: v.error && v.error.message, paused: v.paused});
                    }
                  })""" % (playlist, playlist)}]
        left = args.seconds
        while left > 0:  # one eval at most 10 s (the CDP client times a call out after 20 s)
            chunk = min(10, left)
            steps.append({"op": "eval", "expression": SAMPLER % {"t0": t0, "bits": BITS, "fps": FPS, "ms": chunk * 1000}})
            left -= chunk
        run = subprocess.run([sys.executable, os.path.join(REPO, "Tests/Fixtures/console/browser.py"), "--chromium",
                              args.chromium], input=json.dumps(steps), capture_output=True, text=True, timeout=duration + 60)
        report = json.loads(run.stdout or "{}")
        if run.returncode != 0 or not report.get("results") or not isinstance(report["results"][1], int):
            print("hls-latency: playback did not start:", report.get("error") or run.stderr[-2000:],
                  report.get("results", [None, None])[1],
                  json.dumps(report.get("responses", [])[-8:]), file=sys.stderr)
            return 1
        samples = [s for chunk in report["results"][2:] for s in chunk]
        # A sample whose bars were read mid-transition decodes to nonsense: keep plausible ones.
        good = [s["latency"] for s in samples if 0 < s["latency"] < 60000]
        if not good:
            print("hls-latency: no readable frame", samples[:5], file=sys.stderr)
            return 1
        good.sort()
        print(json.dumps({
            "startup_ms": report["results"][1], "samples": len(good), "rejected": len(samples) - len(good),
            "latency_ms": {"median": round(statistics.median(good)), "p90": round(good[int(0.9 * (len(good) - 1))]),
                           "min": round(good[0]), "max": round(good[-1])},
            "target_ms": 10000, "load": os.getloadavg()}, indent=1))
        return 0
    finally:
        if ffmpeg:
            ffmpeg.kill()
            ffmpeg.wait()
        pid_file = os.path.join(media, "nginx.pid")
        if os.path.exists(pid_file):
            try:
                os.killpg(int(open(pid_file).read().strip()), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        server.shutdown()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("kept", work, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
