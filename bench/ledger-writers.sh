#!/usr/bin/env bash
# 16 concurrent writers on one ledger (run by hand; prints figures, asserts nothing): 16 processes each
# run `arrakis ask` ASKS times (default 20) in a row against a zero-latency loopback API, all on one
# brand-new ledger; prints the wall time, sessions recorded per second, lost sessions and "locked" errors.
# On SQLite, then on PostgreSQL (BENCH_PG_URL, an empty database, else a throwaway cluster; skipped with
# BENCH_NO_PG=1). Uses the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/arrakis
lb=.build/release/loopback-api
[ -x "$bin" ] && [ -x "$lb" ] || { echo "build first: make release" >&2; exit 1; }
work=${BENCH_DIR:-/tmp/arrakis-bench}
mkdir -p "$work"
writers=16 asks=${ASKS:-20}
"$lb" text 1 > "$work/lb.url" & lbpid=$!
for _ in $(seq 100); do [ -s "$work/lb.url" ] && break; sleep 0.05; done
url=$(head -1 "$work/lb.url")

run() {
  local label=$1 db=$2
  rm -f "$work"/writer-*.err
  local start end
  start=$(date +%s.%N)
  local pids=()
  for w in $(seq $writers); do
    ( for a in $(seq "$asks"); do
        ANTHROPIC_API_KEY=bench ANTHROPIC_BASE_URL=$url ARRAKIS_DB=$db "$bin" ask "writer $w ask $a" >/dev/null 2>>"$work/writer-$w.err" || echo "exit $?" >>"$work/writer-$w.err"
      done ) &
    pids+=($!)
  done
  wait "${pids[@]}"
  end=$(date +%s.%N)
  local recorded errors locked
  recorded=$(ARRAKIS_DB=$db "$bin" log -n 100000 --system ask --status success --jsonl | wc -l)
  errors=$(cat "$work"/writer-*.err | grep -c "^exit" || true)
  locked=$(cat "$work"/writer-*.err | grep -ci "locked" || true)
  python3 -c "import sys; n=$writers*$asks; t=$end-$start; print('%-34s %6.1f s  %6.0f sessions/s  lost %d, failed runs %d, \"locked\" %d' % ('$label', t, $recorded/t, n-$recorded, $errors, $locked))"
}

db="$work/writers.db"; rm -f "$db" "$db-wal" "$db-shm"
run "16 writers x $asks asks, SQLite" "$db"
if [ "${BENCH_NO_PG:-}" != 1 ]; then
  . bench/pg-throwaway.sh
  pg_throwaway
  run "16 writers x $asks asks, PostgreSQL" "$PG_URL"
fi
kill $lbpid
