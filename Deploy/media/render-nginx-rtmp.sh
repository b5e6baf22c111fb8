#!/usr/bin/env bash
# Renders Deploy/media/nginx-rtmp.conf with real values and prints it on stdout.
#   render-nginx-rtmp.sh --secret-file FILE [--collector URL] [--listen ADDR] [--record DIR | --no-record] [--hls DIR]
#     --secret-file FILE  the collector's --media-secret-file (letters, digits, '.', '_', '~', '-')
#     --collector URL     where nginx reaches the collector (default http://127.0.0.1:8470)
#     --listen ADDR       RTMP listen address, PORT or HOST:PORT (default 1935)
#     --record DIR        record called lessons into DIR (default /var/lib/classroomfleet/media)
#     --no-record         do not record (record off; on_record_done is then never called)
#     --hls DIR           HLS folder, served by nginx-site.conf (default /var/lib/classroomfleet/hls)
# Example (production, as root):
#   Deploy/media/render-nginx-rtmp.sh --secret-file /etc/classroomfleet/media-secret \
#     | install -m 0600 /dev/stdin /etc/nginx/classroomfleet-rtmp.conf
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
template="$here/nginx-rtmp.conf"
secret_file="" collector="http://127.0.0.1:8470" listen="1935" record="" no_record="" hls="/var/lib/classroomfleet/hls"
usage() { sed -n '3,8p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --secret-file) secret_file=${2:?--secret-file needs a FILE}; shift 2 ;;
    --collector) collector=${2:?--collector needs a URL}; shift 2 ;;
    --listen) listen=${2:?--listen needs an ADDR}; shift 2 ;;
    --record) record=${2:?--record needs a DIR}; shift 2 ;;
    --no-record) no_record=1; shift ;;
    --hls) hls=${2:?--hls needs a DIR}; shift 2 ;;
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
[[ "$hls" =~ ^/[A-Za-z0-9._/-]+$ ]] || fail "--hls must be an absolute path without spaces, not '$hls'"

# Every replaced line must be in the template exactly once, so that an edit of the template that
# breaks rendering fails here instead of shipping a half-rendered file.
# Three applications (`live`, `patrol`, `selftest`) carry the hooks; `live` and `patrol` push to `hls`;
# only `live` (the first) records.
expect_times() {
  local count
  count=$(grep -cF -- "$2" "$template" || true)
  [ "$count" = "$1" ] || fail "$template: expected '$2' $1 times, found it $count times"
}
expect_times 1 "listen 1935;"
expect_times 1 "record all;"
expect_times 3 "record off;"
expect_times 1 "record_path /var/lib/classroomfleet/media;"
expect_times 3 "on_publish http://127.0.0.1:8470/"
expect_times 3 "on_publish_done http://127.0.0.1:8470/"
expect_times 1 "on_record_done http://127.0.0.1:8470/"
expect_times 1 "hls_path /var/lib/classroomfleet/hls;"
expect_times 2 "push rtmp://127.0.0.1:1935/hls;"
expect_times 1 "allow publish 127.0.0.1;  # this server's own pushes"
[ -z "$record" ] || [ -z "$no_record" ] || fail "--record and --no-record exclude each other"
# The live and patrol applications push to `hls` on this same server: over loopback unless nginx
# listens on one address only.
port=${listen##*:}
host=${listen%"$port"}
host=${host%:}
case "$host" in "" | 0.0.0.0 | "*") host=127.0.0.1 ;; esac
[[ "$host" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  fail "--listen HOST must be an IPv4 address (the hls application admits only this server's own pushes), not '$host'"
push_to="$host:$port"
record_on="record all;" record_path="record_path ${record:-/var/lib/classroomfleet/media};"
[ -z "$no_record" ] || record_on="record off;"
sed -e "s|listen 1935;|listen $listen;|" \
  -e "s|record all;|$record_on|" \
  -e "s|record_path /var/lib/classroomfleet/media;|$record_path|" \
  -e "s|hls_path /var/lib/classroomfleet/hls;|hls_path ${hls%/};|" \
  -e "s|push rtmp://127.0.0.1:1935/hls;|push rtmp://$push_to/hls;|" \
  -e "s|allow publish 127.0.0.1;  # this server's own pushes|allow publish $host;  # this server's own pushes|" \
  -e "s|http://127.0.0.1:8470/|$collector/|" \
  -e "s|@MEDIA_SECRET@|$secret|g" "$template"
