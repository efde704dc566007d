#!/usr/bin/env bash
# Start-up, `log` and `ask` figures against the bar (run by hand; prints figures, asserts nothing):
#   arrakis --version                 goal ≤ 20 ms median
#   arrakis log -n 20 (100k/1M ledger) goal ≤ 20 ms median
#   arrakis ask, end to end against a zero-latency loopback API: goal ≤ 30 ms
#   cost per streamed delta: (ask with 2001 deltas − ask with 1 delta) / 2000, goal ≤ 1 ms
# Needs hyperfine and sqlite3 (apt-get install hyperfine sqlite3). Uses the release build (make release).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench needs hyperfine: apt-get install hyperfine" >&2; exit 1; }
bin=.build/release/arrakis
lb=.build/release/loopback-api
[ -x "$bin" ] && [ -x "$lb" ] || { echo "build first: make release" >&2; exit 1; }
work=${BENCH_DIR:-/tmp/arrakis-bench}
mkdir -p "$work"
ledger="$work/ledger-100k.db"
[ -e "$ledger" ] || { echo "generating 100,000 sessions / 1,000,000 messages in $ledger (about half a minute)"; bash bench/gen-ledger.sh "$ledger" >/dev/null; }

median() { hyperfine -N --warmup 5 --runs "${RUNS:-40}" --export-json "$work/h.json" "$@" >/dev/null 2>&1
  python3 -c "import json;r=json.load(open('$work/h.json'))['results'][0];print('%7.1f ms median  (min %.1f, mean %.1f)'%(r['median']*1e3,r['min']*1e3,r['mean']*1e3))"; }

printf '%-40s' "arrakis --version"; median "$bin --version"
printf '%-40s' "arrakis log -n 20 (100k sessions)"; median "env ARRAKIS_DB=$ledger $bin log -n 20"
printf '%-40s' "arrakis log -n 20 --json"; median "env ARRAKIS_DB=$ledger $bin log -n 20 --json"

start_server() { "$lb" "$@" > "$work/lb.url" & lbpid=$!; for _ in $(seq 50); do [ -s "$work/lb.url" ] && break; sleep 0.05; done; url=$(head -1 "$work/lb.url"); }
ask_db="$work/ask.db"; rm -f "$ask_db"*
start_server text 1
printf '%-40s' "arrakis ask (1 delta, zero-latency API)"
median "env ANTHROPIC_API_KEY=bench ANTHROPIC_BASE_URL=$url ARRAKIS_DB=$ask_db $bin ask hello"
one=$(python3 -c "import json;print(json.load(open('$work/h.json'))['results'][0]['median'])")
kill $lbpid
start_server text 2001
printf '%-40s' "arrakis ask (2001 deltas)"
median "env ANTHROPIC_API_KEY=bench ANTHROPIC_BASE_URL=$url ARRAKIS_DB=$ask_db $bin ask hello"
many=$(python3 -c "import json;print(json.load(open('$work/h.json'))['results'][0]['median'])")
kill $lbpid
python3 -c "print('%-40s%7.3f ms per delta' % ('cost per streamed delta', ($many-$one)*1e3/2000))"
