#!/usr/bin/env bash
# Runs every test project against a throwaway PostgreSQL server and the real SQLite engine, then
# prints one line "N passed, N failed, N skipped" totalled over all test projects.
# Installs what is missing (PostgreSQL, fonts) with apt-get when run as root.
set -euo pipefail
cd "$(dirname "$0")"
root_dir=$(pwd)

log() { printf '[test.sh] %s\n' "$*" >&2; }

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1; } \
      || log "could not install $*"
  fi
}

source scripts/throwaway-postgres.sh

[ -n "$(pg_bin)" ] || apt_install postgresql
[ -d /usr/share/fonts/truetype/dejavu ] || apt_install fonts-dejavu-core

# --- throwaway PostgreSQL (durability off: the data is thrown away) ---------------------------
trap stop_pg EXIT
if ! start_pg -c fsync=off -c synchronous_commit=off; then
  if [ "${CI:-}" = "true" ]; then
    log "CI=true and PostgreSQL could not be started: failing"
    exit 1
  fi
  log "SKIPPING PostgreSQL tests: no server could be started (they never skip under CI=true)"
  unset FORECASTING_TEST_PG
fi

# --- build once, test every project ----------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results="$root_dir/TestResults"
rm -rf "$results"
# Warnings are errors (Directory.Build.props), so a clean build is a warning-free one.
dotnet build Forecasting.sln -c Release -nologo -v quiet -clp:ErrorsOnly || { log "build failed"; exit 1; }

status=0
for project in tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  log "testing $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" \
    || status=1
done

passed=0; failed=0; skipped=0; found=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  found=$((found + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o "$1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
[ "$found" -gt 0 ] || { log "no test results found"; status=1; }
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
