#!/usr/bin/env bash
# `arrakis analyze --no-model` next to `git log --numstat` over the same window, interleaved runs, with
# ratios (run by hand; prints figures, asserts nothing). Goals (issue 16): a first run ≤ 2× git log
# --numstat, a second run with nothing new (per-commit statistics from the ledger) ≤ 0.2×.
#
#   bench/analyze-bench.sh [ARRAKIS_BINARY] [SYNTHETIC_COMMITS]
#
#   BENCH_REPO=/path/to/repo   a real repository to clone and measure (e.g. a clone of git/git), with
#   BENCH_SINCE=400.days       its window (an arrakis age; git gets the same instant). RUNS=3 rounds.
#
# Each round runs, one after the other: git log --numstat; analyze with an empty ledger (first run:
# every commit diffed, on every core); analyze again on that ledger (second run: nothing new). Medians.
# Without BENCH_REPO: the mirror under /opt/swift-packages/*/*.git with the most commits is cloned and
# SYNTHETIC_COMMITS (default 5000; 0 skips) commits over the last 90 days are written on top of it with
# `git fast-import` (each edits 1–4 of 300 files): the churn workload of a long history.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-}
synthetic=${2:-5000}
runs=${RUNS:-3}
if [ -z "$bin" ]; then
  (cd "$here" && swift build -c release --product arrakis >/dev/null)
  bin="$here/.build/release/arrakis"
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
work=$(mktemp -d /tmp/arrakis-analyze-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

# measure LABEL SINCE: interleaved rounds, medians and ratios.
measure() {
  python3 - "$bin" "$work" "$runs" "$1" "$2" <<'PY'
import json, os, statistics, subprocess, sys, time
binary, work, runs, label, since = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
# The instant arrakis computes from the age, handed to git as seconds since the epoch.
n, unit = since.split(".")
seconds = int(n) * {"days": 86400, "weeks": 7 * 86400, "years": 365 * 86400}[unit]
git_since = "@%d" % (time.time() - seconds)
def timed(cmd, env=None):
    t = time.perf_counter()
    out = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
    return (time.perf_counter() - t) * 1000, out
git, cold, warm, parts = [], [], [], None
for r in range(runs):
    ms, _ = timed(["git", "log", "--numstat", "--no-merges", "--no-renames", "--since=" + git_since, "--format=%H"])
    git.append(ms)
    env = dict(os.environ, ARRAKIS_DB=os.path.join(work, "ledger-%d.db" % r))
    cmd = [binary, "analyze", "--no-model", "--no-compare", "--json", "--since", since, "."]
    ms, out = timed(cmd, env); cold.append(ms)
    first = json.loads(out)["signals"]
    ms, out = timed(cmd, env); warm.append(ms)
    second = json.loads(out)["signals"]
    parts = (first["history"]["commits"], first["history"]["duration_ms"], second["history"]["duration_ms"], second["tree"]["duration_ms"])
g, c, w = statistics.median(git), statistics.median(cold), statistics.median(warm)
print("%s (%d commits, medians of %d interleaved rounds)" % (label, parts[0], runs))
print("  git log --numstat --no-merges --no-renames   %7.0f ms" % g)
print("  arrakis analyze, first run (empty ledger)    %7.0f ms   %5.2f× git   (history %d ms)" % (c, c / g, parts[1]))
print("  arrakis analyze, second run (nothing new)    %7.0f ms   %5.2f× git   (history %d ms, tree scan %d ms)" % (w, w / g, parts[2], parts[3]))
PY
}

if [ -n "${BENCH_REPO:-}" ]; then
  git clone -q "$BENCH_REPO" "$work/repo"
  cd "$work/repo"
  echo "repository: $BENCH_REPO ($(git ls-files | wc -l) files, $(nproc) cores)"
  measure "${BENCH_SINCE:-400.days}" "${BENCH_SINCE:-400.days}"
  exit 0
fi

best="" best_key=""
for m in /opt/swift-packages/*/*.git; do
  n=$(git --git-dir="$m" rev-list --all --count 2>/dev/null || echo 0)
  size=$(du -sk "$m" | cut -f1)
  key=$(printf '%08d%012d' "$n" "$size")
  if [[ "$key" > "$best_key" ]]; then best_key=$key; best=$m; fi
done
echo "mirror: $best ($(git --git-dir="$best" rev-list --all --count) commits, $(nproc) cores)"
git clone -q "$best" "$work/repo"
cd "$work/repo"
echo "tree: $(git ls-files | wc -l) files"
# These mirrors hold little history and their commits are dated 1970: the window is the whole history.
measure "whole history (since 60.years)" 60.years
[ "$synthetic" -gt 0 ] || exit 0

# A long synthetic history on top of the real tree.
python3 - "$synthetic" > "$work/stream" <<'PY'
import sys, random, time
n = int(sys.argv[1]); random.seed(7); now = int(time.time()); start = now - 89 * 86400
contents = {f"synthetic/mod{i:03d}.swift": [f"let v{i}_{j} = {j}\n" for j in range(40)] for i in range(300)}
out = sys.stdout
for c in range(n):
    t = start + c * (89 * 86400 // n)
    msg = ("fix: " if c % 5 == 0 else "change ") + str(c)
    out.write(f"commit refs/heads/main\nauthor Dev{c % 7} <d{c % 7}@example.com> {t} +0000\n"
              f"committer Dev <d@example.com> {t} +0000\ndata {len(msg)}\n{msg}\n")
    if c == 0: out.write("from refs/heads/main^0\n")
    for path in random.sample(sorted(contents), random.randint(1, 4)):
        lines = contents[path]
        for _ in range(random.randint(1, 6)):
            lines.insert(random.randrange(len(lines) + 1), f"// edit {c}\n")
        data = "".join(lines).encode()
        out.write(f"M 100644 inline {path}\ndata {len(data)}\n"); out.flush()
        out.buffer.write(data); out.write("\n")
PY
git checkout -q -B main
git fast-import --quiet < "$work/stream"
git checkout -q -f main
echo "synthetic: $synthetic commits over 90 days, $(git ls-files | wc -l) files in the tree"
measure "90.days of $synthetic commits" 90.days
