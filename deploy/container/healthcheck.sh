#!/bin/bash
# The image's HEALTHCHECK: GET <path> (default /health/live; compose uses /health/ready) on the port of the first
# address in ASPNETCORE_URLS, with bash alone (the image has no curl). Exit 0 when the answer is 200.
path=${1:-/health/live}
url=${ASPNETCORE_URLS:-http://0.0.0.0:8080}
url=${url%%;*}
port=${url##*:}
port=${port%%/*}
exec 3<>"/dev/tcp/127.0.0.1/${port:-8080}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
read -r -t 4 status <&3 || exit 1
[[ $status == HTTP/1.?" 200 "* ]]
