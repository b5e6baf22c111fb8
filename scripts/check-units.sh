#!/usr/bin/env bash
# Checks the sandbox of the shipped systemd units: `systemd-analyze security --offline=yes` must score
# each at most 2.0 (exposure; 0 = fully sandboxed, 10 = none).
# Run by scripts/test.sh; exits 1 naming the unit that scores above the limit.
#   bash scripts/check-units.sh [LIMIT]
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-2.0}
status=0
for unit in Systemd/classroomd.service Systemd/classroom-collector.service; do
  line=$(systemd-analyze security --offline=yes --no-pager "$unit" 2>&1 | grep 'Overall exposure level') || {
    echo "check-units: $unit: systemd-analyze printed no exposure level" >&2
    status=1
    continue
  }
  score=$(sed -E 's/.*: ([0-9]+\.[0-9]+) .*/\1/' <<<"$line")
  if awk -v s="$score" -v l="$limit" 'BEGIN { exit !(s > l) }'; then
    echo "check-units: $unit: exposure $score is above $limit" >&2
    systemd-analyze security --offline=yes --no-pager "$unit" | grep '✗' >&2 || true
    status=1
  else
    echo "check-units: $unit: exposure $score (limit $limit)"
  fi
done
exit "$status"
