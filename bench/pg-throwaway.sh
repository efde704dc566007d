#!/usr/bin/env bash
# Sourced by the PostgreSQL benches: sets PG_URL to BENCH_PG_URL when given (an empty database the user
# may create tables in), else starts a throwaway cluster in a temp folder (initdb as the postgres user when
# run as root, loopback only, a free port) that is stopped when the sourcing script exits.
# Needs PostgreSQL's server binaries (apt-get install postgresql).
pg_throwaway() {
  if [ -n "${BENCH_PG_URL:-}" ]; then PG_URL=$BENCH_PG_URL; return; fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bin/initdb" ] || bin=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  [ -x "$bin/initdb" ] || { echo "needs PostgreSQL (apt-get install postgresql) or BENCH_PG_URL" >&2; exit 1; }
  PG_DIR=$(mktemp -d /tmp/arrakis-bench-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  local port as=()
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; as=(runuser -u postgres --); fi
  "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U bench --auth=trust -E UTF8 >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=on" start >/dev/null
  PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m fast stop)
  trap '"${PG_STOP[@]}" >/dev/null 2>&1; rm -rf "$PG_DIR"' EXIT
  PG_URL="postgresql://bench@127.0.0.1:$port/postgres"
}
