#!/usr/bin/env bash
# Starts a test media server on loopback with on_publish_responder.py as its hook endpoint (a stand-in
# for the collector that accepts only KEY): nginx from the shipped configuration (media-server.sh),
# recording into DIR/record.
#   start-media-server.sh DIR RTMP_PORT HOOK_PORT KEY
# Writes DIR/nginx.conf, DIR/nginx.pid, DIR/responder.pid, DIR/hooks.jsonl, DIR/record/*.flv.
# Stop with: kill "$(cat DIR/nginx.pid)" "$(cat DIR/responder.pid)"
set -euo pipefail
dir=${1:?usage: start-media-server.sh DIR RTMP_PORT HOOK_PORT KEY}
rtmp_port=${2:?}
hook_port=${3:?}
key=${4:?}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
: >"$dir/hooks.jsonl"
# Detached from our stdout/stderr so that a caller reading them to EOF is not held open.
python3 "$here/on_publish_responder.py" "$hook_port" "$key" "$dir/hooks.jsonl" </dev/null >/dev/null 2>>"$dir/responder.log" &
echo $! >"$dir/responder.pid"
bash "$here/media-server.sh" start "$dir" "$rtmp_port" "http://127.0.0.1:$hook_port" responder-secret record
for _ in $(seq 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$hook_port") 2>/dev/null; then exit 0; fi
  sleep 0.1
done
echo "the hook responder did not start; see $dir/responder.log" >&2
exit 1
