#!/usr/bin/env bash
# `arrakis log -n 20` on 100,000 sessions in PostgreSQL, end to end (run by hand; prints figures, asserts
# nothing; the issue's goal is ≤ 50 ms). The server is BENCH_PG_URL (an empty database) or a throwaway
# cluster, filled by `arrakis log copy` from bench/startup.sh's SQLite ledger (generated if missing).
# The same command on the SQLite file is printed beside it. Needs hyperfine; uses the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench needs hyperfine: apt-get install hyperfine" >&2; exit 1; }
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
. bench/pg-throwaway.sh
pg_throwaway
"$bin" log copy --from "$ledger" --to "$PG_URL" >/dev/null

median() { hyperfine -N --warmup 5 --runs "${RUNS:-40}" --export-json "$work/h.json" "$@" >/dev/null 2>&1
  python3 -c "import json;r=json.load(open('$work/h.json'))['results'][0];print('%7.1f ms median  (min %.1f, mean %.1f)'%(r['median']*1e3,r['min']*1e3,r['mean']*1e3))"; }
printf '%-44s' "arrakis log -n 20, PostgreSQL (100k)"; median "env ARRAKIS_DB=$PG_URL $bin log -n 20"
printf '%-44s' "arrakis log -n 20 --json, PostgreSQL (100k)"; median "env ARRAKIS_DB=$PG_URL $bin log -n 20 --json"
printf '%-44s' "arrakis log -n 20, SQLite (100k)"; median "env ARRAKIS_DB=$ledger $bin log -n 20"
