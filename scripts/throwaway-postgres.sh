# Sourced by test.sh and bench.sh: starts a throwaway PostgreSQL server on 127.0.0.1 (as the postgres
# user when root, since initdb refuses root), exports FORECASTING_TEST_PG, and stops it on exit.
# Usage: source scripts/throwaway-postgres.sh; start_pg [extra server options] || handle failure

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

pg_as_root() { [ "$(id -u)" = 0 ]; }

pg_dir=""
pg_started=0

stop_pg() {
  if [ "$pg_started" = 1 ]; then
    if pg_as_root; then runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
    else "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true; fi
    pg_started=0
  fi
  if [ -n "$pg_dir" ]; then rm -rf "$pg_dir"; pg_dir=""; fi
}

pg_free_port() {
  local port
  for port in $(seq 55432 55632); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

start_pg() {
  local bin; bin=$(pg_bin)
  [ -n "$bin" ] || { echo "PostgreSQL is not installed" >&2; return 1; }
  pg_dir=$(mktemp -d /tmp/forecasting-pg.XXXXXX)
  chmod 755 "$pg_dir"
  local port; port=$(pg_free_port) || { echo "no free port for PostgreSQL" >&2; return 1; }
  local run=()
  if pg_as_root; then chown postgres "$pg_dir"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1 \
    || { echo "initdb failed: $(tail -n 3 "$pg_dir/initdb.log")" >&2; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200 $*" start >/dev/null \
    || { echo "PostgreSQL did not start: $(tail -n 5 "$pg_dir/server.log" 2>/dev/null)" >&2; return 1; }
  pg_started=1
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -c "CREATE DATABASE forecasting_test" >/dev/null
  export FORECASTING_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=forecasting_test"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
}
