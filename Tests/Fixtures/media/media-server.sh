#!/usr/bin/env bash
# A loopback media server for tests and the demo, made from the SHIPPED configuration
# (Deploy/media/nginx-rtmp.conf rendered by Deploy/media/render-nginx-rtmp.sh) inside a minimal main
# configuration, so that what is tested is what a bureau installs.
#   media-server.sh start DIR RTMP_PORT COLLECTOR_URL SECRET [record] [http=PORT]
#   media-server.sh check DIR RTMP_PORT COLLECTOR_URL SECRET [record] [http=PORT]   # nginx -t only (also the stat page)
# Writes DIR/secret, DIR/rtmp.conf, DIR/nginx.conf, DIR/error.log, DIR/nginx.pid, the HLS of every
# stream in DIR/hls/NAME/ and, with `record`, DIR/record/NAME-TIME.flv
# (nginx-rtmp's record_unique). With `http=PORT`, the shipped HTTP
# site (Deploy/media/nginx-site.conf: console proxy, HLS behind the collector's authorization) listens
# on 127.0.0.1:PORT as DIR/site.conf. nginx runs in its own session: stop it with
# kill -KILL -- -"$(cat DIR/nginx.pid)".
set -euo pipefail
mode=${1:?usage: media-server.sh start|check DIR RTMP_PORT COLLECTOR_URL SECRET [record]}
dir=${2:?}
rtmp_port=${3:?}
collector=${4:?}
secret=${5:?}
record="" http_port=""
for option in "${@:6}"; do
  case "$option" in
    record) record=record ;;
    http=*) http_port=${option#http=} ;;
    *) echo "media-server.sh: unknown option '$option' (record, http=PORT)" >&2; exit 2 ;;
  esac
done
repo=$(cd "$(dirname "$0")/../../.." && pwd)
module=/usr/lib/nginx/modules/ngx_rtmp_module.so
[ -f "$module" ] || { echo "missing $module: apt-get install libnginx-mod-rtmp" >&2; exit 2; }
command -v nginx >/dev/null || { echo "missing nginx: apt-get install nginx" >&2; exit 2; }
dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
mkdir -p "$dir/tmp" "$dir/hls"
chmod 1777 "$dir/hls"  # the nginx worker runs as nobody
chmod 0755 "$dir"
printf '%s\n' "$secret" >"$dir/secret"
chmod 0600 "$dir/secret"
render=(bash "$repo/Deploy/media/render-nginx-rtmp.sh" --secret-file "$dir/secret" --collector "$collector"
  --listen "127.0.0.1:$rtmp_port" --hls "$dir/hls")
if [ "$record" = record ]; then
  mkdir -p "$dir/record"
  chmod 1777 "$dir/record"  # the nginx worker runs as nobody
  render+=(--record "$dir/record")
else
  render+=(--no-record)
fi
"${render[@]}" >"$dir/rtmp.conf"
http_includes=""
[ "$mode" = check ] && http_includes="include $repo/Deploy/media/rtmp-stat.conf;"
if [ -n "$http_port" ]; then
  bash "$repo/Deploy/media/render-nginx-site.sh" --collector "$collector" --listen "127.0.0.1:$http_port" \
    --hls "$dir/hls" >"$dir/site.conf"
  http_includes="$http_includes include $dir/site.conf;"
fi
stat=""
# The http context of a Debian nginx.conf, reduced: temporary folders inside DIR (nginx runs unprivileged).
[ -z "$http_includes" ] || stat="http { access_log off; client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi; $http_includes }"
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
  if (exec 3<>"/dev/tcp/127.0.0.1/$rtmp_port") 2>/dev/null &&
    { [ -z "$http_port" ] || (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null; }; then exit 0; fi
  sleep 0.1
done
echo "media server did not start on 127.0.0.1:$rtmp_port; see $dir/error.log" >&2
exit 1
