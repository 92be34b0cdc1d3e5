#!/usr/bin/env bash
# Runs a benchmark of tests/Forecasting.Benchmarks against a throwaway PostgreSQL server with default
# (durable) settings. Example: ./bench.sh ingest --rows 1000000
set -euo pipefail
cd "$(dirname "$0")"
source scripts/throwaway-postgres.sh
trap stop_pg EXIT
start_pg || echo "continuing without PostgreSQL" >&2
dotnet run -c Release --project tests/Forecasting.Benchmarks -- "$@"
