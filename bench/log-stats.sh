#!/usr/bin/env bash
# Times `arrakis log stats` on the 100,000-session ledger of bench/gen-ledger.sh (goal: ≤ 200 ms).
# The generated sessions are dated from 2023-11-14 on, so the window is opened wide with --since.
#
#   bench/log-stats.sh [LEDGER]     (default .build/bench/stats.db, generated when missing)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin="$here/../.build/release/arrakis"
db=${1:-$here/../.build/bench/stats.db}
[ -x "$bin" ] || { echo "no release build at $bin; run 'make release'" >&2; exit 1; }
[ -e "$db" ] || bash "$here/gen-ledger.sh" "$db" 100000 10 >/dev/null
echo "ledger: $db ($(sqlite3 "$db" 'SELECT count(*) FROM sessions') sessions)"
for format in text json; do
  flag=""; [ "$format" = json ] && flag="--json"
  ARRAKIS_DB="$db" "$bin" log stats --since 2000-01-01 $flag >/dev/null   # warm the page cache
  best=999999; total=0; runs=5
  for _ in $(seq $runs); do
    start=$(date +%s%N)
    ARRAKIS_DB="$db" "$bin" log stats --since 2000-01-01 $flag >/dev/null
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    total=$((total + ms)); [ $ms -lt $best ] && best=$ms
  done
  echo "log stats ($format): best ${best} ms, mean $((total / runs)) ms over $runs runs (goal ≤ 200 ms)"
done
