#!/usr/bin/env bash
# Renders Deploy/media/nginx-site.conf with real values and prints it on stdout.
#   render-nginx-site.sh [--collector URL] [--listen ADDR] [--hls DIR]
#     --collector URL  where nginx reaches the collector (default http://127.0.0.1:8470)
#     --listen ADDR    HTTP listen address, PORT or HOST:PORT (default 80)
#     --hls DIR        the HLS folder of nginx-rtmp.conf (default /var/lib/classroomfleet/hls)
# Example (production, as root):
#   Deploy/media/render-nginx-site.sh | install -m 0644 /dev/stdin /etc/nginx/sites-enabled/classroomfleet
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
template="$here/nginx-site.conf"
collector="http://127.0.0.1:8470" listen="80" hls="/var/lib/classroomfleet/hls"
usage() { sed -n '3,6p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --collector) collector=${2:?--collector needs a URL}; shift 2 ;;
    --listen) listen=${2:?--listen needs an ADDR}; shift 2 ;;
    --hls) hls=${2:?--hls needs a DIR}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "render-nginx-site.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
fail() { echo "render-nginx-site.sh: $*" >&2; exit 1; }
url_pattern='^https?://[A-Za-z0-9.:-]+$'
[[ "$collector" =~ $url_pattern ]] || fail "--collector must be http://HOST:PORT, not '$collector'"
[[ "$listen" =~ ^([A-Za-z0-9.-]+:)?[0-9]+$ ]] || fail "--listen must be PORT or HOST:PORT, not '$listen'"
[[ "$hls" =~ ^/[A-Za-z0-9._/-]+$ ]] || fail "--hls must be an absolute path without spaces, not '$hls'"
hls=${hls%/}
# Every replaced text must be in the template as often as expected, so that an edit of the template
# that breaks rendering fails here instead of shipping a half-rendered file.
expect_times() {
  local count
  count=$(grep -cF -- "$2" "$template" || true)
  [ "$count" = "$1" ] || fail "$template: expected '$2' $1 times, found it $count times"
}
expect_times 1 "listen 80;"
expect_times 2 "proxy_pass http://127.0.0.1:8470"
expect_times 1 "alias /var/lib/classroomfleet/hls/$"
sed -e "s|listen 80;|listen $listen;|" \
  -e "s|proxy_pass http://127.0.0.1:8470|proxy_pass $collector|" \
  -e "s|alias /var/lib/classroomfleet/hls/\\\$|alias $hls/\$|" "$template"
