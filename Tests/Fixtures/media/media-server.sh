#!/usr/bin/env bash
# A loopback media server for tests and the demo, made from the SHIPPED configuration
# (Deploy/media/nginx-rtmp.conf rendered by Deploy/media/render-nginx-rtmp.sh) inside a minimal main
# configuration, so that what is tested is what a bureau installs.
#   media-server.sh start DIR RTMP_PORT COLLECTOR_URL SECRET [record]
#   media-server.sh check DIR RTMP_PORT COLLECTOR_URL SECRET [record]   # nginx -t only (also the stat page)
# Writes DIR/secret, DIR/rtmp.conf, DIR/nginx.conf, DIR/error.log, DIR/nginx.pid and, with `record`,
# DIR/record/KEY-TIME.flv (nginx-rtmp's record_unique). nginx runs in its own session: stop it with kill -KILL -- -"$(cat DIR/nginx.pid)".
set -euo pipefail
mode=${1:?usage: media-server.sh start|check DIR RTMP_PORT COLLECTOR_URL SECRET [record]}
dir=${2:?}
rtmp_port=${3:?}
collector=${4:?}
secret=${5:?}
record=${6:-}
repo=$(cd "$(dirname "$0")/../../.." && pwd)
module=/usr/lib/nginx/modules/ngx_rtmp_module.so
[ -f "$module" ] || { echo "missing $module: apt-get install libnginx-mod-rtmp" >&2; exit 2; }
command -v nginx >/dev/null || { echo "missing nginx: apt-get install nginx" >&2; exit 2; }
dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
mkdir -p "$dir/tmp"
chmod 0755 "$dir"
printf '%s\n' "$secret" >"$dir/secret"
chmod 0600 "$dir/secret"
render=(bash "$repo/Deploy/media/render-nginx-rtmp.sh" --secret-file "$dir/secret" --collector "$collector"
  --listen "127.0.0.1:$rtmp_port")
if [ "$record" = record ]; then
  mkdir -p "$dir/record"
  chmod 1777 "$dir/record"  # the nginx worker runs as nobody
  render+=(--record "$dir/record")
else
  render+=(--no-record)
fi
"${render[@]}" >"$dir/rtmp.conf"
stat=""
[ "$mode" = check ] && stat="http { access_log off; include $repo/Deploy/media/rtmp-stat.conf; }"
# The main context of a Debian nginx.conf, reduced to what a test needs: the module that
# modules-enabled/50-mod-rtmp.conf loads, and the snippet included as the README says.
cat >"$dir/nginx.conf" <<CONF
load_module $module;
daemon on;
pid $dir/nginx.pid;
error_log $dir/error.log info;
worker_processes 1;
events { worker_connections 64; }
include $dir/rtmp.conf;
$stat
CONF
case "$mode" in
  check) exec nginx -t -c "$dir/nginx.conf" -p "$dir/tmp" -e "$dir/error.log" ;;
  start) ;;
  *) echo "media-server.sh: unknown mode '$mode' (start or check)" >&2; exit 2 ;;
esac
# Detached from our stdout/stderr so that a caller reading them to EOF is not held open.
nginx -c "$dir/nginx.conf" -p "$dir/tmp" -e "$dir/error.log" </dev/null >>"$dir/nginx-start.log" 2>&1 || {
  cat "$dir/nginx-start.log" >&2
  exit 1
}
for _ in $(seq 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$rtmp_port") 2>/dev/null; then exit 0; fi
  sleep 0.1
done
echo "media server did not start on 127.0.0.1:$rtmp_port; see $dir/error.log" >&2
exit 1
