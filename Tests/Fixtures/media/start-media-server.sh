#!/usr/bin/env bash
# Starts a test media server on loopback: nginx with the Debian RTMP module recording into DIR, and
# on_publish_responder.py as its hook endpoint.
#   start-media-server.sh DIR RTMP_PORT HOOK_PORT KEY
# Writes DIR/nginx.conf, DIR/nginx.pid, DIR/responder.pid, DIR/hooks.jsonl, DIR/record/*.flv.
# Stop with: kill "$(cat DIR/nginx.pid)" "$(cat DIR/responder.pid)"
set -euo pipefail
dir=${1:?usage: start-media-server.sh DIR RTMP_PORT HOOK_PORT KEY}
rtmp_port=${2:?}
hook_port=${3:?}
key=${4:?}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir/record" "$dir/tmp"
chmod 1777 "$dir/record"  # the nginx worker runs as nobody
module=/usr/lib/nginx/modules/ngx_rtmp_module.so
[ -f "$module" ] || { echo "missing $module: apt-get install libnginx-mod-rtmp" >&2; exit 2; }
cat >"$dir/nginx.conf" <<CONF
load_module $module;
daemon on;
pid $dir/nginx.pid;
error_log $dir/error.log info;
worker_processes 1;
events { worker_connections 64; }
rtmp {
    server {
        listen 127.0.0.1:$rtmp_port;
        application live {
            live on;
            record all;
            record_path $dir/record;
            record_unique off;
            on_publish http://127.0.0.1:$hook_port/api/v1/media/on_publish;
            on_publish_done http://127.0.0.1:$hook_port/api/v1/media/on_publish_done;
        }
    }
}
CONF
: >"$dir/hooks.jsonl"
# Detached from our stdout/stderr so that a caller reading them to EOF is not held open.
python3 "$here/on_publish_responder.py" "$hook_port" "$key" "$dir/hooks.jsonl" </dev/null >/dev/null 2>>"$dir/responder.log" &
echo $! >"$dir/responder.pid"
nginx -c "$dir/nginx.conf" -p "$dir/tmp" -e "$dir/error.log" </dev/null >>"$dir/nginx-start.log" 2>&1 || {
  cat "$dir/nginx-start.log" >&2
  exit 1
}
for _ in $(seq 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$hook_port") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$rtmp_port") 2>/dev/null; then exit 0; fi
  sleep 0.1
done
echo "media server did not start; see $dir/error.log" >&2
exit 1
