#!/usr/bin/env bash
# Nightly analysis of one repository, for cron. Silent when all is well, so cron mails only when something
# is new or broken: a --fail-on finding (exit 1) or an error (exit >= 2). Everything goes to a log file too.
#
#   arrakis-analyze.sh /path/to/repo [extra analyze flags…]
#
# Overlapping runs are safe: analyze takes a per-repository lock and a second run exits 12 at once;
# this wrapper treats 12 as "already running", not as a failure.
set -uo pipefail
repo=${1:?usage: arrakis-analyze.sh REPO [flags…]}
shift
log_dir=${ARRAKIS_LOG_DIR:-$HOME/.local/state/arrakis}
mkdir -p "$log_dir"
log="$log_dir/analyze-$(basename "$repo").log"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

{ echo "== $(date -Is) arrakis analyze $repo"; } >>"$log"
arrakis analyze "$repo" --quiet --fail-on new-hotspots,new-markers,failing-tests --run-tests "$@" >"$out" 2>&1
status=$?
cat "$out" >>"$log"
echo "== exit $status" >>"$log"

case $status in
  0) exit 0 ;;
  12) exit 0 ;;  # another analyze is still running on this repository
  1) echo "arrakis analyze found something new in $repo:"; cat "$out"
     echo "report: arrakis analyze $repo --no-model   (log: $log)"; exit 1 ;;
  *) echo "arrakis analyze failed on $repo (exit $status):"; cat "$out"; echo "log: $log"; exit "$status" ;;
esac
