#!/usr/bin/env bash
# Builds the repository's Dockerfile with podman and smoke-tests the image, on a machine that can reach
# deb.debian.org and NuGet but no container registry:
#
#   1. installs podman, buildah, runc and debootstrap with apt-get when missing (root only);
#   2. assembles the base image from Debian packages with debootstrap (bookworm minbase + the runtime's native
#      dependencies, fonts and time zones: the equivalent of mcr.microsoft.com/dotnet/runtime-deps), imported
#      with `podman import`; cached in podman's storage under a tag keyed by the package list;
#   3. stands in for mcr.microsoft.com/dotnet/sdk with that base and this machine's .NET SDK, mounted read-only
#      at /usr/share/dotnet during the build (the SDK image's layout), and this machine's NuGet package folder
#      mounted as the build's (restore reads it, and downloads what is missing from NuGet, trusting the CAs this
#      machine trusts);
#   4. builds the real multi-stage Dockerfile with those two images as SDK_IMAGE and BASE_IMAGE: restore,
#      trimmed self-contained publish, final stage (fonts check, user, healthcheck, entrypoint);
#   5. runs the image: `serve` answers /health/live and /health/ready through a published port, /health needs the
#      API key given by environment, the image's HEALTHCHECK passes, the process runs as uid 10001, not root;
#      `demo` runs in a second container on a /data volume and writes the report, its PNG charts and the
#      forecast, owned by uid 10001.
#
# Prints `container smoke: passed ...` and exits 0, or names the step that failed and exits 1. Removes its
# containers and temporary files; keeps the base, SDK stand-in and app images (tags below) as a cache.
# Environment: FORECASTING_DEBIAN_MIRROR (default http://deb.debian.org/debian), SMOKE_TIMEOUT (seconds to wait
# for /health/live, default 180).
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$(pwd)
started=$SECONDS

log() { printf '[container-smoke %3ds] %s\n' "$((SECONDS - started))" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

# --- tools ----------------------------------------------------------------------------------------------------
tools=(podman buildah runc debootstrap curl)
missing_tool() { local t; for t in "${tools[@]}"; do command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || return 0; done; return 1; }
if missing_tool; then
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || fail "podman, buildah, runc, debootstrap and curl are needed; run as root to install them with apt-get"
  log "installing podman, buildah, runc, debootstrap with apt-get"
  packages=(podman buildah runc debootstrap curl netavark aardvark-dns iptables catatonit debian-archive-keyring)
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >/dev/null; } \
    || fail "apt-get could not install ${packages[*]}"
fi
export PATH="$PATH:/usr/sbin:/sbin"
dotnet_dir=$(dirname "$(readlink -f "$(command -v dotnet)")") || fail "no dotnet on PATH (the build stage uses this machine's SDK)"
[ -d "$dotnet_dir/sdk" ] || fail "$dotnet_dir has no sdk/ folder"
nuget_dir=${NUGET_PACKAGES:-$HOME/.nuget/packages}
mkdir -p "$nuget_dir"

# This machine kind (a VM without CAP_SYS_RESOURCE, cgroup v1 with a hybrid cgroup2 mount) needs: runc rather
# than crun (crun refuses hybrid cgroups), rlimits no higher than ours (podman asks for more by default), the
# cgroupfs manager and file events (no systemd). Elsewhere these are harmless.
limit() { local v; v=$(ulimit "$1"); [ "$v" = unlimited ] && v=$2; [ "$v" -gt "$2" ] && v=$2; echo "$v"; }
nofile=$(limit -Hn 65536)
nproc=$(limit -Hu 32768)
ulimits=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
podman_() { podman --runtime runc --cgroup-manager cgroupfs --events-backend file "$@"; }

# --- base image from Debian packages --------------------------------------------------------------------------
# The runtime's native dependencies (glibc, libstdc++, libssl, zlib; no ICU: the app is globalization-invariant),
# CA certificates, time zones, the DejaVu fonts the charts use; bash, dpkg and useradd come with minbase.
suite=bookworm
mirror=${FORECASTING_DEBIAN_MIRROR:-http://deb.debian.org/debian}
base_packages=ca-certificates,tzdata,fonts-dejavu-core,libssl3,zlib1g,libstdc++6,libgcc-s1
key=$(printf '%s\n' "$suite" "$base_packages" v1 | sha256sum | cut -c1-12)
base_image=localhost/forecasting-base:$suite-$key
sdk_image=localhost/forecasting-sdk-standin:$suite-$key
app_image=localhost/forecasting:smoke

work=$(mktemp -d /tmp/forecasting-container-smoke.XXXXXX)
containers=()
# debootstrap mounts /proc (and may mount /sys) inside the tree and can leave them mounted (seen when it runs under
# dotnet test): unmount everything below a folder before archiving or deleting it.
unmount_below() {
  local m
  awk -v p="$1/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  ! awk -v p="$1/" 'index($2, p) == 1 {found = 1} END {exit !found}' /proc/mounts
}
cleanup() {
  local c
  for c in "${containers[@]}"; do podman_ rm -f -t 2 "$c" >/dev/null 2>&1 || true; done
  if unmount_below "$work"; then rm -rf "$work"; else log "left $work: something below it is still mounted"; fi
}
trap cleanup EXIT

if podman_ image exists "$base_image"; then
  log "base image $base_image: cached"
else
  log "assembling $base_image with debootstrap ($suite minbase + $base_packages) from $mirror"
  debootstrap --variant=minbase --include="$base_packages" "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || fail "debootstrap: $(tail -n 5 "$work/debootstrap.log")"
  unmount_below "$work/rootfs" || fail "cannot unmount what debootstrap mounted below $work/rootfs"
  rm -rf "$work/rootfs"/var/cache/apt/archives/*.deb "$work/rootfs"/var/lib/apt/lists/* \
    "$work/rootfs"/usr/share/doc "$work/rootfs"/usr/share/man "$work/rootfs"/usr/share/locale
  tar -C "$work/rootfs" --numeric-owner --one-file-system -c . | podman_ import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' - "$base_image" >/dev/null || fail "podman import of the debootstrap tree"
  rm -rf "$work/rootfs"
fi

if podman_ image exists "$sdk_image"; then
  log "SDK stand-in $sdk_image: cached"
else
  log "building the SDK stand-in $sdk_image (the base; the SDK is mounted at build time)"
  mkdir -p "$work/sdk"
  cat >"$work/sdk/Containerfile" <<EOF
FROM $base_image
# The SDK itself is mounted here at build time (podman build -v <host SDK>:/usr/share/dotnet:ro).
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
# The base has no ICU; the SDK runs globalization-invariant, like the app. No OCSP/CRL endpoint is reachable
# here: package signatures are checked without online revocation, as on this machine.
ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 NUGET_CERT_REVOCATION_MODE=offline DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
EOF
  podman_ build --runtime runc "${ulimits[@]}" -q -t "$sdk_image" "$work/sdk" >/dev/null || fail "building $sdk_image"
fi

# --- the Dockerfile -------------------------------------------------------------------------------------------
# Restore reaches NuGet as this machine does: with its trust store (which may hold the CA of a TLS proxy).
trust=()
[ -f /etc/ssl/certs/ca-certificates.crt ] && trust=(-v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro)
old_id=$(podman_ image inspect --format '{{.Id}}' "$app_image" 2>/dev/null || true)
# --layers=false: no intermediate images are kept (each changed build would leave a few hundred MB behind).
log "building the Dockerfile (SDK_IMAGE=$sdk_image, BASE_IMAGE=$base_image)"
podman_ build --runtime runc "${ulimits[@]}" --format docker --network host --layers=false \
  --build-arg "SDK_IMAGE=$sdk_image" --build-arg "BASE_IMAGE=$base_image" \
  -v "$dotnet_dir:/usr/share/dotnet:ro" -v "$nuget_dir:/root/.nuget/packages" "${trust[@]}" \
  -f Dockerfile -t "$app_image" . >"$work/build.log" 2>&1 \
  || fail "podman build: $(tail -n 30 "$work/build.log")"
new_id=$(podman_ image inspect --format '{{.Id}}' "$app_image")
[ -z "$old_id" ] || [ "$old_id" = "$new_id" ] || podman_ rmi "$old_id" >/dev/null 2>&1 || true
image_mb=$(( $(podman_ image inspect --format '{{.Size}}' "$app_image") / 1000000 ))
base_mb=$(( $(podman_ image inspect --format '{{.Size}}' "$base_image") / 1000000 ))
app_mb=$(podman_ run --rm "${ulimits[@]}" --entrypoint /usr/bin/du "$app_image" -sm /app | cut -f1)
log "built $app_image: $image_mb MB (base $base_mb MB, /app $app_mb MB)"
# The self-contained publish is 137 MB untrimmed and about 71 MB partially trimmed (README, Deploy).
[ "$app_mb" -lt 110 ] || fail "/app is $app_mb MB: the publish was not trimmed"

config=$(podman_ image inspect --format '{{.Config.User}} {{json .Config.Entrypoint}} {{json .Config.Cmd}} {{json .Config.Healthcheck.Test}}' "$app_image")
log "image config: $config"
case "$config" in
  "10001 [\"/app/forecasting\"] [\"serve\"] [\"CMD\",\"/app/healthcheck\"]") ;;
  *) fail "unexpected image config (user, entrypoint, cmd, healthcheck): $config" ;;
esac

# --- serve ----------------------------------------------------------------------------------------------------
free_port() {
  local port
  for port in $(shuf -i 20000-40000 -n 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  return 1
}
port=$(free_port) || fail "no free port"
serve=forecasting-smoke-serve-$$
containers+=("$serve")
export FORECASTING_API_KEY="smoke-$RANDOM$RANDOM"
podman_ run -d --name "$serve" "${ulimits[@]}" -p "127.0.0.1:$port:8080" -e FORECASTING_API_KEY "$app_image" >/dev/null \
  || fail "podman run serve"
log "serve running as $serve on 127.0.0.1:$port; waiting for /health/live"
deadline=$((SECONDS + ${SMOKE_TIMEOUT:-180}))
until [ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 "http://127.0.0.1:$port/health/live")" = 200 ]; do
  [ "$(podman_ inspect --format '{{.State.Running}}' "$serve")" = true ] \
    || fail "serve exited: $(podman_ logs "$serve" 2>&1 | tail -n 20)"
  [ "$SECONDS" -lt "$deadline" ] || fail "/health/live did not answer 200 within ${SMOKE_TIMEOUT:-180} s: $(podman_ logs "$serve" 2>&1 | tail -n 20)"
  sleep 2
done
live_after=$((SECONDS - started))
code() { curl -s -o /dev/null -w '%{http_code}' -m 10 "$@"; }
ready=$(code "http://127.0.0.1:$port/health/ready")
[ "$ready" = 200 ] || fail "/health/ready answered $ready"
no_key=$(code "http://127.0.0.1:$port/health")
[ "$no_key" = 401 ] || fail "/health without the API key answered $no_key, expected 401"
with_key=$(code -H "X-API-KEY: $FORECASTING_API_KEY" "http://127.0.0.1:$port/health")
case "$with_key" in 200 | 503) ;; *) fail "/health with the API key answered $with_key" ;; esac
podman_ healthcheck run "$serve" >/dev/null 2>&1 || fail "the image's HEALTHCHECK (/app/healthcheck) failed on a running serve"
uid=$(podman_ exec "$serve" awk '/^Uid:/ {print $2}' /proc/1/status)
[ "$uid" = 10001 ] || fail "serve runs as uid '$uid', expected 10001"
log "serve: /health/live 200, /health/ready $ready, /health 401 without the key and $with_key with it, HEALTHCHECK ok, uid $uid"
podman_ rm -f -t 5 "$serve" >/dev/null

# --- demo -----------------------------------------------------------------------------------------------------
mkdir -p "$work/data"
chown 10001:10001 "$work/data"
demo=forecasting-smoke-demo-$$
containers+=("$demo")
log "running demo in $demo (data volume $work/data)"
podman_ run --name "$demo" "${ulimits[@]}" -v "$work/data:/data" "$app_image" demo >"$work/demo.log" 2>&1 \
  || fail "demo: $(tail -n 20 "$work/demo.log")"
report=$work/data/out/demo/report
size() { stat -c %s "$1"; }
[ -f "$report/report.html" ] && [ "$(size "$report/report.html")" -gt 20000 ] || fail "no report.html (or a tiny one) in the volume"
[ -f "$report/report.md" ] || fail "no report.md in the volume"
grep -q 'Forecast' "$report/report.md" || fail "report.md does not look like a forecast report"
pngs=0
for png in "$report"/charts/*.png; do
  [ -f "$png" ] || continue
  [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$png is not a PNG"
  [ "$(size "$png")" -gt 10000 ] || fail "$png is only $(size "$png") bytes"
  pngs=$((pngs + 1))
done
[ "$pngs" -gt 0 ] || fail "demo wrote no chart"
[ "$(wc -l <"$work/data/out/demo/forecast.csv")" -gt 168 ] || fail "forecast.csv has fewer rows than a week of one series"
owner=$(stat -c %u "$report/report.html")
[ "$owner" = 10001 ] || fail "the report is owned by uid $owner, expected 10001"
[ -f "$work/data/forecasting.db" ] && [ -f "$work/data/models/global-tokens/current.json" ] || fail "no store or champion in /data"
log "demo: $(grep -o 'Done in [0-9]* s' "$work/demo.log" || echo done), report.html $(size "$report/report.html") bytes, $pngs PNG charts, owned by uid $owner"

echo "container smoke: passed in $((SECONDS - started)) s: image $image_mb MB (/app $app_mb MB, base $base_mb MB), /health/live after $live_after s, serve as uid $uid, demo wrote $pngs charts"
