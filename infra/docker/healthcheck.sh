#!/bin/bash
# Container health check without curl or wget in the image: GET /health/ready over bash's /dev/tcp
# and succeed only on HTTP 200 (MicroProfile Health answers 503 while a check is DOWN).
set -u
port="${SEALPOST_PORT:-8080}"
{ exec 3<>"/dev/tcp/127.0.0.1/${port}"; } 2>/dev/null || exit 1
printf 'GET /health/ready HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status <&3 || exit 1
case "$status" in
  "HTTP/1."[01]" 200"*) exit 0 ;;
  *) exit 1 ;;
esac
