#!/usr/bin/env bash
# Renders Deploy/media/nginx-rtmp.conf with real values and prints it on stdout.
#   render-nginx-rtmp.sh --secret-file FILE [--collector URL] [--listen ADDR] [--record DIR | --no-record]
#     --secret-file FILE  the collector's --media-secret-file (letters, digits, '.', '_', '~', '-')
#     --collector URL     where nginx reaches the collector (default http://127.0.0.1:8470)
#     --listen ADDR       RTMP listen address, PORT or HOST:PORT (default 1935)
#     --record DIR        record called lessons into DIR (default /var/lib/classroomfleet/media)
#     --no-record         do not record (record off; on_record_done is then never called)
# Example (production, as root):
#   Deploy/media/render-nginx-rtmp.sh --secret-file /etc/classroomfleet/media-secret \
#     | install -m 0600 /dev/stdin /etc/nginx/classroomfleet-rtmp.conf
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
template="$here/nginx-rtmp.conf"
secret_file="" collector="http://127.0.0.1:8470" listen="1935" record="" no_record=""
usage() { sed -n '3,8p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --secret-file) secret_file=${2:?--secret-file needs a FILE}; shift 2 ;;
    --collector) collector=${2:?--collector needs a URL}; shift 2 ;;
    --listen) listen=${2:?--listen needs an ADDR}; shift 2 ;;
    --record) record=${2:?--record needs a DIR}; shift 2 ;;
    --no-record) no_record=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "render-nginx-rtmp.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
fail() { echo "render-nginx-rtmp.sh: $*" >&2; exit 1; }
[ -n "$secret_file" ] || fail "--secret-file is required (the collector's --media-secret-file)"
[ -r "$secret_file" ] || fail "cannot read the secret file $secret_file"
# Surrounding white space is dropped, as the collector does.
secret=$(<"$secret_file")
secret=${secret#"${secret%%[![:space:]]*}"}
secret=${secret%"${secret##*[![:space:]]}"}
[ -n "$secret" ] || fail "$secret_file is empty (make one with: openssl rand -hex 32)"
# The secret travels in the hook URLs' query string: only characters that need no escaping there.
[[ "$secret" =~ ^[A-Za-z0-9._~-]+$ ]] || fail "$secret_file: the secret may hold only letters, digits, '.', '_', '~' and '-'"
url_pattern='^https?://[A-Za-z0-9.:-]+$'
[[ "$collector" =~ $url_pattern ]] || fail "--collector must be http://HOST:PORT, not '$collector'"
[[ "$listen" =~ ^([A-Za-z0-9.-]+:)?[0-9]+$ ]] || fail "--listen must be PORT or HOST:PORT, not '$listen'"
[ -z "$record" ] || [[ "$record" =~ ^/[A-Za-z0-9._/-]+$ ]] || fail "--record must be an absolute path without spaces, not '$record'"

# Every replaced line must be in the template exactly once, so that an edit of the template that
# breaks rendering fails here instead of shipping a half-rendered file.
expect_once() {
  local count
  count=$(grep -cF -- "$1" "$template" || true)
  [ "$count" = 1 ] || fail "$template: expected '$1' once, found it $count times"
}
expect_once "listen 1935;"
expect_once "record all;"
expect_once "record_path /var/lib/classroomfleet/media;"
expect_once "on_publish http://127.0.0.1:8470/"
expect_once "on_publish_done http://127.0.0.1:8470/"
expect_once "on_record_done http://127.0.0.1:8470/"
[ -z "$record" ] || [ -z "$no_record" ] || fail "--record and --no-record exclude each other"
record_on="record all;" record_path="record_path ${record:-/var/lib/classroomfleet/media};"
[ -z "$no_record" ] || record_on="record off;"
sed -e "s|listen 1935;|listen $listen;|" \
  -e "s|record all;|$record_on|" \
  -e "s|record_path /var/lib/classroomfleet/media;|$record_path|" \
  -e "s|http://127.0.0.1:8470/|$collector/|" \
  -e "s|@MEDIA_SECRET@|$secret|g" "$template"
