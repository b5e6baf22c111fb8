#!/usr/bin/env bash
# Renders Deploy/media/nginx-site.conf with real values and prints it on stdout.
#   render-nginx-site.sh [--collector URL] [--listen ADDR] [--hls DIR] [--tls-cert FILE --tls-key FILE [--redirect ADDR|none]]
#     --collector URL  where nginx reaches the collector (default http://127.0.0.1:8470)
#     --listen ADDR    listen address, PORT or HOST:PORT (default 80, or 443 with TLS)
#     --hls DIR        the HLS folder of nginx-rtmp.conf (default /var/lib/classroomfleet/hls)
#     --tls-cert FILE, --tls-key FILE   HTTPS with the county's certificate (PEM) and its key
#     --redirect ADDR  with TLS, a plain HTTP server on ADDR sending everyone to HTTPS (default 80)
# Example (production, as root):
#   Deploy/media/render-nginx-site.sh | install -m 0644 /dev/stdin /etc/nginx/sites-enabled/classroomfleet
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
template="$here/nginx-site.conf"
collector="http://127.0.0.1:8470" listen="" hls="/var/lib/classroomfleet/hls" cert="" key="" redirect=""
usage() { sed -n '3,8p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --collector) collector=${2:?--collector needs a URL}; shift 2 ;;
    --listen) listen=${2:?--listen needs an ADDR}; shift 2 ;;
    --hls) hls=${2:?--hls needs a DIR}; shift 2 ;;
    --tls-cert) cert=${2:?--tls-cert needs a FILE}; shift 2 ;;
    --tls-key) key=${2:?--tls-key needs a FILE}; shift 2 ;;
    --redirect) redirect=${2:?--redirect needs an ADDR or none}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "render-nginx-site.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
fail() { echo "render-nginx-site.sh: $*" >&2; exit 1; }
[ -z "$cert$key" ] || { [ -n "$cert" ] && [ -n "$key" ]; } || fail "--tls-cert and --tls-key go together"
if [ -n "$cert" ]; then
  [ -r "$cert" ] || fail "--tls-cert: cannot read '$cert'"
  [ -r "$key" ] || fail "--tls-key: cannot read '$key'"
  [[ "$cert$key" =~ ^/[A-Za-z0-9._/-]+/[A-Za-z0-9._/-]+$ ]] || fail "--tls-cert and --tls-key must be absolute paths without spaces"
  listen=${listen:-443}
  redirect=${redirect:-80}
else
  [ -z "$redirect" ] || fail "--redirect goes with --tls-cert"
  listen=${listen:-80}
fi
url_pattern='^https?://[A-Za-z0-9.:-]+$'
[[ "$collector" =~ $url_pattern ]] || fail "--collector must be http://HOST:PORT, not '$collector'"
[[ "$listen" =~ ^([A-Za-z0-9.-]+:)?[0-9]+$ ]] || fail "--listen must be PORT or HOST:PORT, not '$listen'"
[ -z "$redirect" ] || [ "$redirect" = none ] || [[ "$redirect" =~ ^([A-Za-z0-9.-]+:)?[0-9]+$ ]] ||
  fail "--redirect must be PORT, HOST:PORT or none, not '$redirect'"
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
listen_line="listen $listen;"
# HTTPS: the county's certificate; TLS 1.2 and 1.3 only (nginx's defaults for the ciphers).
[ -z "$cert" ] ||
  listen_line="listen $listen ssl;\n    ssl_certificate $cert;\n    ssl_certificate_key $key;\n    ssl_protocols TLSv1.2 TLSv1.3;"
sed -e "s|listen 80;|$listen_line|" \
  -e "s|proxy_pass http://127.0.0.1:8470|proxy_pass $collector|" \
  -e "s|alias /var/lib/classroomfleet/hls/\\\$|alias $hls/\$|" "$template"
if [ -n "$redirect" ] && [ "$redirect" != none ]; then
  https_port=${listen##*:}
  printf '\n# Plain HTTP sends browsers and classroom machines to HTTPS.\nserver {\n    listen %s;\n    server_name _;\n    access_log off;\n    return 301 https://$host%s$request_uri;\n}\n' \
    "$redirect" "$([ "$https_port" = 443 ] && echo "" || echo ":$https_port")"
fi
