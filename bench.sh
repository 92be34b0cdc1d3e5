#!/usr/bin/env bash
# Runs a benchmark of tests/Forecasting.Benchmarks against a throwaway PostgreSQL server with default
# (durable) settings. Example: ./bench.sh ingest --rows 1000000
set -euo pipefail
cd "$(dirname "$0")"
# R's forecast package is the reference peer (stlf, ets, tbats); install it when missing and root.
if ! Rscript -e 'library(forecast)' >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q r-cran-forecast >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q r-cran-forecast >/dev/null 2>&1; } \
    || echo "could not install r-cran-forecast: R peers will be skipped" >&2
fi
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1; } || true
source scripts/throwaway-postgres.sh
trap stop_pg EXIT
start_pg || echo "continuing without PostgreSQL" >&2
if [ "${1:-}" = sharded ]; then shift; scripts/bench-sharded.sh "$@"; exit; fi
dotnet run -c Release --project tests/Forecasting.Benchmarks -- "$@"
