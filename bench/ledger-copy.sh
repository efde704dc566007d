#!/usr/bin/env bash
# `arrakis log copy` of a 100,000-session / 1,000,000-message SQLite ledger (run by hand; prints figures,
# asserts nothing): into a new SQLite file, a second time (nothing to add), and into PostgreSQL
# (BENCH_PG_URL, an empty database, else a throwaway cluster; skipped with BENCH_NO_PG=1).
# The source is bench/startup.sh's ledger (generated the same way if missing). Uses the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release/arrakis
[ -x "$bin" ] || { echo "build first: make release" >&2; exit 1; }
work=${BENCH_DIR:-/tmp/arrakis-bench}
mkdir -p "$work"
ledger="$work/ledger-100k.db"
if [ ! -e "$ledger" ]; then
  echo "generating 100,000 sessions / 1,000,000 messages in $ledger"
  mkdir -p "$work/empty" && ARRAKIS_DB="$ledger" "$bin" analyze --no-model --quiet "$work/empty"
  bash bench/gen-ledger.sh "$ledger" >/dev/null
fi

# One copy: wall time, the copier's own sessions/s and CPU seconds (the machine may be shared).
copy() {
  local label=$1; shift
  local out start end
  start=$(date +%s.%N)
  out=$( { /usr/bin/time -f '%U %S' "$bin" log copy "$@" --json 2>"$work/copy.time"; } )
  end=$(date +%s.%N)
  python3 - "$label" "$start" "$end" "$work/copy.time" <<PY
import json, sys
r = json.loads('''$out''')
label, start, end, times = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
cpu = sum(map(float, open(times).read().split()[-2:]))
sessions = next(t for t in r["tables"] if t["table"] == "sessions")
n = sessions["copied"] + sessions["already_there"]
copied = sum(t["copied"] for t in r["tables"])
print("%-44s %8.1f s  %8.0f sessions/s  (%d rows copied, cpu %.1f s)" % (label, end - start, n / (end - start), copied, cpu))
PY
}

target="$work/copy-target.db"
rm -f "$target" "$target-wal" "$target-shm"
copy "log copy 100k SQLite -> new SQLite" --from "$ledger" --to "$target"
copy "log copy again (nothing to add)" --from "$ledger" --to "$target"

if [ "${BENCH_NO_PG:-}" != 1 ]; then
  . bench/pg-throwaway.sh
  pg_throwaway
  copy "log copy 100k SQLite -> PostgreSQL" --from "$ledger" --to "$PG_URL"
  copy "log copy again into PostgreSQL" --from "$ledger" --to "$PG_URL"
fi
