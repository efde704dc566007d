#!/usr/bin/env bash
# Start-up, `log`, `ask` and `code` figures against the bar (run by hand; prints figures, asserts nothing):
#   arrakis --version                 goal ≤ 5 ms median (next to `claude --version` where installed: on PATH,
#     or CLAUDE_BIN, e.g. the copy the Python Agent SDK bundles: python3 -m venv v && v/bin/pip install
#     claude-agent-sdk, then CLAUDE_BIN=$(echo v/lib/python3*/site-packages/claude_agent_sdk/_bundled/claude))
#   the release binary's size             goal ≤ 30 MB (as built, and stripped as `make install` installs it)
#   arrakis log -n 20 (100k/1M ledger) goal ≤ 10 ms median
#   arrakis ask, end to end against a zero-latency loopback API: goal ≤ 30 ms
#   cost per streamed delta: (ask with 2001 deltas − ask with 1 delta) / 2000, goal ≤ 1 ms
#   arrakis code, time to its first request: on BENCH_REPO (e.g. a clone of git/git) ≤ 1.2× the figure on
#     a 3-file repository (BENCH_REPO: a checkout, used in place); interleaved runs, next to `git status`
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
if [ ! -e "$ledger" ]; then
  echo "generating 100,000 sessions / 1,000,000 messages in $ledger (about half a minute)"
  # arrakis creates the file with its current schema (gen-ledger.sh could too, from Schema.swift).
  mkdir -p "$work/empty" && ARRAKIS_DB="$ledger" "$bin" analyze --no-model --quiet "$work/empty"
  bash bench/gen-ledger.sh "$ledger" >/dev/null
fi

median() { hyperfine -N --warmup 5 --runs "${RUNS:-40}" --export-json "$work/h.json" "$@" >/dev/null 2>&1
  python3 -c "import json;r=json.load(open('$work/h.json'))['results'][0];print('%7.1f ms median  (min %.1f, mean %.1f)'%(r['median']*1e3,r['min']*1e3,r['mean']*1e3))"; }

size() { python3 -c "import os;print('%7.1f MB' % (os.path.getsize('$1') / 1e6))"; }
strip -o "$work/arrakis.stripped" "$bin"
printf '%-40s' "release binary, as built"; size "$bin"
printf '%-40s' "release binary, stripped"; size "$work/arrakis.stripped"

printf '%-40s' "arrakis --version"; median "$bin --version"
claude=${CLAUDE_BIN:-$(command -v claude || true)}
if [ -n "$claude" ]; then
  mine=$(python3 -c "import json;print(json.load(open('$work/h.json'))['results'][0]['median'])")
  # Claude Code refuses to start as root outside a sandbox unless told it is in one (arrakis ignores it).
  export IS_SANDBOX=1
  printf '%-40s' "claude --version"; median "$claude --version"
  theirs=$(python3 -c "import json;print(json.load(open('$work/h.json'))['results'][0]['median'])")
  python3 -c "print('%-40s%7.2f× claude' % ('arrakis --version', $mine / $theirs))"
fi
# The ledger through the environment of hyperfine itself: `env …` in the command would be timed too.
printf '%-40s' "arrakis log -n 20 (100k sessions)"; ARRAKIS_DB=$ledger median "$bin log -n 20"
printf '%-40s' "arrakis log -n 20 --json"; ARRAKIS_DB=$ledger median "$bin log -n 20 --json"

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

# `code` until its first request reaches the API: a listener takes the connection and records when the
# request's first byte arrives (then closes it; --max-retries 0, so arrakis just fails).
small="$work/three-files"
if [ ! -d "$small/.git" ]; then
  mkdir -p "$small" && (cd "$small" && git init -q -b main . && for f in a b c; do echo "$f" > "$f.txt"; done &&
    git add -A && git -c user.name=bench -c user.email=bench@example.com commit -qm init)
fi
python3 - "$bin" "$work/code.db" "${RUNS:-40}" "$small" ${BENCH_REPO:+"$BENCH_REPO"} <<'PY'
import os, socket, statistics, subprocess, sys, time
binary, db, runs, repos = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
def first_request(repo):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    env = dict(os.environ, ANTHROPIC_API_KEY="bench", ANTHROPIC_BASE_URL="http://127.0.0.1:%d" % listener.getsockname()[1], ARRAKIS_DB=db)
    started = time.perf_counter()
    p = subprocess.Popen([binary, "code", "--max-retries", "0", "-C", repo, "hello"], env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    conn, _ = listener.accept()
    conn.recv(1)
    ms = (time.perf_counter() - started) * 1000
    conn.close(); listener.close(); p.wait()
    return ms
def git_status(repo):
    started = time.perf_counter()
    subprocess.run(["git", "-C", repo, "status", "--porcelain"], stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - started) * 1000
code = {r: [] for r in repos}
status = {r: [] for r in repos}
for _ in range(runs):
    for r in repos:
        code[r].append(first_request(r))
        status[r].append(git_status(r))
base = statistics.median(code[repos[0]])
for r in repos:
    files = len(subprocess.run(["git", "-C", r, "ls-files"], stdout=subprocess.PIPE, check=True).stdout.splitlines())
    c, g = statistics.median(code[r]), statistics.median(status[r])
    print("%-40s%7.1f ms median  (%5.2f× the 3-file figure; git status %.1f ms)" % (
        "arrakis code to first request, %d files" % files, c, c / base, g))
PY
