#!/usr/bin/env bash
# Harness overhead per agent turn (run by hand; prints figures). A zero-latency loopback API serves 50
# scripted turns of small Read/Edit/Grep calls; the tools run for real. Overhead per turn =
# (wall time − time spent inside tools) / turns, so it counts process start, request building and
# serialisation, the HTTP exchange, SSE parsing, ledger writes and rendering. Goal: ≤ 2 ms per turn.
# Also prints the size of the first request (goal ≤ 10 KB with all six tools), and the harness time of turn
# 300 against turn 10 of a session of 26 KB Reads against a 200,000-token prompt limit (goal ≤ 2×: a turn
# may cost the encoding of the context it sends, which is bounded, never the history). LONG_ONLY=1 runs
# only that last part.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(pwd)/.build/release/arrakis
lb=$(pwd)/.build/release/loopback-api
[ -x "$bin" ] && [ -x "$lb" ] || { echo "build first: make release" >&2; exit 1; }
work=$(mktemp -d)
lbpid=""
trap 'kill $lbpid 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/repo"
for i in $(seq 1 60); do echo "let value$i = $i  // line $i"; done > "$work/repo/values.swift"
( cd "$work/repo" && git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm init )

long_session() {
  mkdir -p "$work/long"
  for f in $(seq 0 29); do
    for l in $(seq 1 300); do printf 'file-%d-line-%d: %s %d\n' $f $l abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij $((l * 7919 % 10007)); done > "$work/long/f$f.txt"
  done
  ( cd "$work/long" && git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm init )
  { for k in $(seq 0 299); do echo '[{"type":"tool_use","name":"Read","input":{"file_path":"f'$((k % 30))'.txt"}}]'; done
    echo '[{"type":"text","text":"done"}]'; } > "$work/long.jsonl"
  "$lb" turns "$work/long.jsonl" --prompt-limit 200000 > "$work/url3" & local lb3=$!
  for _ in $(seq 50); do [ -s "$work/url3" ] && break; sleep 0.05; done
  ( cd "$work/long" && ARRAKIS_DB="$work/long.db" ANTHROPIC_API_KEY=bench ANTHROPIC_BASE_URL=$(head -1 "$work/url3") \
      "$bin" code --permission read-only --max-turns 400 --context-window 200000 "read them" >/dev/null 2>"$work/long.err" ) \
    || { echo "long run failed:" >&2; tail -3 "$work/long.err" >&2; kill $lb3; exit 1; }
  kill $lb3
  python3 - "$work/long.db" <<'PY'
import sqlite3, sys, statistics
from datetime import datetime
db = sqlite3.connect(sys.argv[1])
sid = db.execute("select id from sessions order by started_at desc limit 1").fetchone()[0]
rows = db.execute("select role, created_at, system_source from messages where session_id=? order by seq", (sid,)).fetchall()
t = lambda s: datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp() * 1000
# A turn's harness time: from recording the tool results to recording the reply they led to (the API is a
# zero-latency loopback, so this is estimating, compacting, encoding, the exchange, parsing and recording).
turn, last_user, per = 0, None, {}
for role, at, source in rows:
    if role == "user": last_user = t(at)
    elif role == "assistant":
        turn += 1
        if last_user is not None and turn > 1: per[turn] = t(at) - last_user
compactions = sum(1 for r in rows if r[2] == "compaction")
early = statistics.median(per[k] for k in range(6, 16))
late = statistics.median(per[k] for k in range(292, 302) if k in per)
print(f"{'long session: turns, compactions':40}{turn:7d} {compactions:5d}")
print(f"{'harness time per turn around turn 10':40}{early:7.1f} ms")
print(f"{'harness time per turn around turn 300':40}{late:7.1f} ms   ({late / early:.2f}x; goal <= 2x)")
PY
}
if [ "${LONG_ONLY:-0}" = 1 ]; then long_session; exit 0; fi

turns=50
{
  echo '[{"type":"tool_use","name":"Read","input":{"file_path":"values.swift"}}]'
  for k in $(seq 1 $((turns - 2))); do
    case $((k % 3)) in
      0) echo '[{"type":"tool_use","name":"Read","input":{"file_path":"values.swift","offset":'$k',"limit":5}}]' ;;
      1) echo '[{"type":"text","text":"editing"},{"type":"tool_use","name":"Edit","input":{"file_path":"values.swift","old_string":"let value'$k' =","new_string":"let VALUE'$k' ="}}]' ;;
      2) echo '[{"type":"tool_use","name":"Grep","input":{"pattern":"value'$k'\\b","output_mode":"content","-n":true}}]' ;;
    esac
  done
  echo '[{"type":"text","text":"done"}]'
} > "$work/turns.jsonl"

"$lb" turns "$work/turns.jsonl" > "$work/url" & lbpid=$!
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.05; done
url=$(head -1 "$work/url")
export ARRAKIS_DB="$work/ledger.db" ANTHROPIC_API_KEY=bench ANTHROPIC_BASE_URL="$url"

# Process start-up, measured alone: one turn that ends at once.
echo '[{"type":"text","text":"done"}]' > "$work/one.jsonl"
start_us=()
for r in 1 2 3 4 5; do
  s=$(date +%s%N); ( cd "$work/repo" && ARRAKIS_DB="$work/one.db" "$bin" code --permission full-access --replay "$work/one.jsonl" x >/dev/null 2>&1 ); e=$(date +%s%N)
  echo $(( (e - s) / 1000 )) >> "$work/start_us"
done

runs=${RUNS:-5}
for r in $(seq 1 $runs); do
  ( cd "$work/repo" && git checkout -q -- . )
  start=$(date +%s%N)
  ( cd "$work/repo" && "$bin" code --permission full-access --max-turns $turns "bench" >/dev/null 2>"$work/err" ) || { echo "run failed:" >&2; tail -3 "$work/err" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(( (end - start) / 1000 )) >> "$work/wall_us"
done
python3 - "$work" "$turns" <<'PY'
import sqlite3, sys, statistics
work, turns = sys.argv[1], int(sys.argv[2])
walls = [int(x) / 1000 for x in open(work + "/wall_us").read().split()]
db = sqlite3.connect(work + "/ledger.db")
rows = db.execute("select id from sessions order by started_at").fetchall()
tool_ms = [db.execute("select coalesce(sum(duration_ms),0) from tool_operations where session_id=?", r).fetchone()[0] for r in rows]
n_turns = [db.execute("select count(*) from messages where session_id=? and role='assistant'", r).fetchone()[0] for r in rows]
startup = statistics.median(int(x) / 1000 for x in open(work + "/start_us").read().split())
per = [(w - t) / n for w, t, n in zip(walls, tool_ms, n_turns)]
per_no_start = [(w - t - startup) / n for w, t, n in zip(walls, tool_ms, n_turns)]
print(f"{'turns per run':40}{n_turns[0]:7d}")
print(f"{'wall time per run (median)':40}{statistics.median(walls):7.1f} ms")
print(f"{'time inside tools per run (median)':40}{statistics.median(tool_ms):7.1f} ms")
print(f"{'process start (one-turn run, median)':40}{startup:7.1f} ms")
print(f"{'harness overhead per turn (median)':40}{statistics.median(per):7.2f} ms   (goal ≤ 2 ms; start-up spread over the turns)")
print(f"{'  of which per turn after start-up':40}{statistics.median(per_no_start):7.2f} ms")
PY
# First request size: what the loopback server received is not kept, so rebuild it from a single turn.
"$lb" text 1 > "$work/url2" & lb2=$!
for _ in $(seq 50); do [ -s "$work/url2" ] && break; sleep 0.05; done
python3 - "$work" "$bin" "$(head -1 "$work/url2")" <<'PY'
import http.server, json, os, subprocess, sys, threading
work, binary, _ = sys.argv[1:4]
size = {}
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers["content-length"]); size["n"] = n; self.rfile.read(n)
        body = b'{"type":"error","error":{"type":"invalid_request_error","message":"measured"}}'
        self.send_response(400); self.send_header("content-type","application/json"); self.send_header("x-should-retry","false")
        self.send_header("content-length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
threading.Thread(target=srv.serve_forever, daemon=True).start()
env = dict(os.environ, ANTHROPIC_BASE_URL=f"http://127.0.0.1:{srv.server_address[1]}")
subprocess.run([binary, "code", "--permission", "full-access", "hello"], cwd=work + "/repo", env=env, capture_output=True)
print(f"{'first request with all six tools':40}{size.get('n', 0):7d} bytes (goal ≤ 10,240)")
PY
kill $lb2
long_session
