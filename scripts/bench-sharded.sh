#!/usr/bin/env bash
# Sharded retrain on 2 local `serve` nodes sharing one PostgreSQL and one models folder (run by `./bench.sh sharded`,
# which starts the throwaway PostgreSQL and sets FORECASTING_TEST_PG).
# Usage: ./bench.sh sharded [--series N] [--shard-size S] [--weeks W] [--nodes 2]
# Prints: the sharded retrain's wall time (request to union served), the shards each node ran, the peak memory (VmHWM)
# and CPU time of each node, then a 7-day forecast of every series from the union (wall, CPU, peak memory).
set -euo pipefail
series=100; shard_size=25; weeks=8; nodes=2
while [ $# -gt 0 ]; do
  case "$1" in
    --series) series=$2; shift 2 ;;
    --shard-size) shard_size=$2; shift 2 ;;
    --weeks) weeks=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
[ -n "${FORECASTING_TEST_PG:-}" ] || { echo "FORECASTING_TEST_PG is not set: run through ./bench.sh sharded" >&2; exit 1; }
root=$(pwd)
dotnet build src/Forecasting.Cli -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
cli=(dotnet "$root/src/Forecasting.Cli/bin/Release/net10.0/forecasting.dll")
work=$(mktemp -d /tmp/forecasting-sharded-XXXXXX)
db_name="bench_sharded_$$"
psql_url="$FORECASTING_TEST_PG"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# One database of its own on the throwaway server.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
port=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$psql_url")
"$pg_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE $db_name" >/dev/null
db="Host=127.0.0.1;Port=$port;Username=postgres;Database=$db_name"

# The sample's 8 project x model series plus about 2 per extra tenant.
tenants=$(( (series - 8 + 1) / 2 )); [ "$tenants" -lt 0 ] && tenants=0
( cd "$work" && "${cli[@]}" samples --weeks "$weeks" --extra-tenants "$tenants" --out usage.csv >/dev/null \
  && "${cli[@]}" ingest usage.csv --db "$db" >/dev/null )
leaves=$(tail -n +2 "$work/usage.csv" | cut -d, -f2,3 | sort -u | wc -l)
echo "series: $leaves leaves (+ roll-ups), $weeks weeks hourly; shard size $shard_size; $nodes nodes"

urls=()
for i in $(seq 1 "$nodes"); do
  p=$(( 56100 + i + ($$ % 500) ))
  url="http://127.0.0.1:$p"
  ( cd "$work" && FORECASTING_API_KEY="" \
    Forecasting__Schedule__RefreshCron="0 0 3 1 1 ? 2099" Forecasting__Schedule__RetrainCron="0 0 3 1 1 ? 2099" \
    Forecasting__Schedule__ClusterCheckinMisfireThreshold="00:01:00" Forecasting__Training__ShardSize="$shard_size" \
    exec "${cli[@]}" serve --urls "$url" --db "$db" --models "$work/models" --reports "$work/report" >"$work/node-$i.log" 2>&1 ) &
  pids+=($!)
  urls+=("$url")
done
for url in "${urls[@]}"; do
  for _ in $(seq 1 240); do curl -fs "$url/health/live" >/dev/null 2>&1 && break; sleep 0.5; done
done

# The node processes (each subshell exec-ed dotnet), for their memory and CPU.
node_pids=("${pids[@]}")
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
declare -A cpu_before
for pid in "${node_pids[@]}"; do cpu_before[$pid]=$(cpu_of "$pid"); done

start=$(date +%s.%N)
curl -fs -X POST "${urls[0]}/api/v1/retrain" >/dev/null
while :; do
  done_runs=0
  for url in "${urls[@]}"; do
    n=$(curl -fs "$url/health" | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin)["scheduler"]["recent_runs"] if r["job"]=="retrain" and r["outcome"]!="running"))' 2>/dev/null || echo 0)
    done_runs=$((done_runs + n))
  done
  [ "$done_runs" -gt 0 ] && break
  sleep 1
done
end=$(date +%s.%N)
ticks=$(getconf CLK_TCK)
printf 'sharded retrain (request to union served, forecast and report included): %.1f s wall\n' "$(echo "$end - $start" | bc)"
for i in "${!urls[@]}"; do
  pid=${node_pids[$i]}
  shards=$(curl -fs "${urls[$i]}/health" | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin)["scheduler"]["recent_runs"] if r["job"]=="retrain-shard" and r["outcome"]!="running"))')
  hwm=$(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status")
  cpu=$(echo "scale=1; ($(cpu_of "$pid") - ${cpu_before[$pid]}) / $ticks" | bc)
  echo "node $((i + 1)): $shards shards, peak memory $hwm, CPU $cpu s"
done
curl -fs "${urls[0]}/api/v1/jobs" | python3 -c 'import json,sys; d=json.load(sys.stdin); [print("  ", r["job"], r["outcome"], (r.get("detail") or "")[:150]) for r in d.get("runs", []) if r["job"].startswith("retrain")]' || true

# The forecast of every series from the union (the service did one already; this one is timed alone).
/usr/bin/time -f 'forecast of every series (7 days) from the union: %e s wall, %U+%S s CPU, peak memory %M KB' \
  "${cli[@]}" forecast --db "$db" --models "$work/models" --out "$work/forecast.csv" 2>&1 >/dev/null | tail -n 1
