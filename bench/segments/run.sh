#!/usr/bin/env bash
# Segment delivery benchmark: stream-gateway vs nginx with secure_link, the same encrypted segment, the same machine,
# the same run, measured with wrk (requests/s and latency percentiles).
#   bench/segments/run.sh
# Settings (environment variables, defaults in brackets):
#   BENCH_DURATION [20] s per measurement  BENCH_CONNECTIONS [32]  BENCH_THREADS [2]  BENCH_ROUNDS [3]  BENCH_WARMUP [30] s
#   BENCH_NGINX_PORT [18099]
# Needs wrk and nginx (apt-get install -y wrk nginx-light) and curl. Starts its own platform with dev/up (state under
# bench/.work/segments-state, so a dev stack must not be running) and stops it at the end, on failure or Ctrl-C.
# Output: bench/.work/results/segments-<time>/ (raw.csv, summary.md, wrk output, nginx.conf).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DURATION=${BENCH_DURATION:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP=${BENCH_WARMUP:-30}
NGINX_PORT=${BENCH_NGINX_PORT:-18099}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$ROOT/bench/.work/results/segments-$STAMP"
STATE="$ROOT/bench/.work/segments-state"
NGINX_DIR="$OUT/nginx"
mkdir -p "$OUT" "$NGINX_DIR/www/live/demo/360p" "$NGINX_DIR/tmp"

say() { printf '%s\n' "$*"; }
warn() { printf 'run.sh: %s\n' "$*" >&2; }
for tool in wrk nginx curl openssl; do
  command -v $tool >/dev/null 2>&1 || { warn "needs $tool (apt-get install -y wrk nginx-light curl openssl)"; exit 1; }
done

NGINX_PID=""
cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
  if [ -n "${SESSION:-}" ] && [ -n "${VIEWER:-}" ]; then
    curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $VIEWER" "http://127.0.0.1:8083/api/v1/playback/sessions/$SESSION"
  fi
  say "Stopping the platform..."
  PALISADE_STATE_DIR="$STATE" "$ROOT/dev/down" --purge > "$OUT/dev-down.log" 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The same full JIT and heap class for the services as a production pod would have (dev/up's default is tuned for
# start-up on a laptop). The gateway's per-session and per-IP token buckets stay on (their cost is part of the hot
# path) with limits far above what wrk can reach from one address.
say "Starting the platform (dev/up, log in $OUT/dev-up.log)..."
PALISADE_STATE_DIR="$STATE" PALISADE_JAVA_OPTS="-Xms256m -Xmx1g -XX:+UseParallelGC -Dpalisade.gateway.rate-limit.session-per-second=10000000 -Dpalisade.gateway.rate-limit.session-burst=10000000 -Dpalisade.gateway.rate-limit.ip-per-second=10000000 -Dpalisade.gateway.rate-limit.ip-burst=10000000" \
  "$ROOT/dev/up" --detach > "$OUT/dev-up.log" 2>&1 || { tail -20 "$OUT/dev-up.log" >&2; warn "dev/up failed"; exit 1; }

J='Content-Type: application/json'
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
VIEWER=$(curl -s -X POST -H "$J" -d '{"email":"viewer@palisade.local","password":"dev-only-quiet-meadow-signal"}' \
  http://127.0.0.1:8081/api/v1/login | field accessToken)
START=$(curl -s -X POST -H "$J" -H "Authorization: Bearer $VIEWER" -d '{"channelId":"demo","deviceId":"bench"}' \
  http://127.0.0.1:8083/api/v1/playback/sessions)
SESSION=$(printf '%s' "$START" | field sessionId)
[ -n "$SESSION" ] || { warn "could not start a playback session: $START"; exit 1; }

# A segment URL as a player gets it: entry playlist -> 360p media playlist -> newest segment (signed by the gateway).
segment_url() {
  local url master media_uri media seg
  url=$(curl -s -X POST -H "Authorization: Bearer $VIEWER" "http://127.0.0.1:8083/api/v1/playback/sessions/$SESSION/heartbeat" | field playbackUrl)
  master=$(curl -s "$url")
  media_uri=$(printf '%s\n' "$master" | grep -v '^#' | grep '360p' | head -1)
  media=$(curl -s "http://127.0.0.1:8084/live/demo/$media_uri")
  seg=$(printf '%s\n' "$media" | grep -v '^#' | grep -v '^$' | tail -1)
  printf 'http://127.0.0.1:8084/live/demo/360p/%s' "$seg"
}

# nginx: the very bytes the gateway serves for that segment, behind secure_link (MD5 of expiry, URI and a secret).
SECRET=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
cat > "$NGINX_DIR/nginx.conf" <<CONF
worker_processes $THREADS;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $NGINX_DIR/tmp; proxy_temp_path $NGINX_DIR/tmp; fastcgi_temp_path $NGINX_DIR/tmp;
  uwsgi_temp_path $NGINX_DIR/tmp; scgi_temp_path $NGINX_DIR/tmp;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  types { video/mp2t ts; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $NGINX_DIR/www;
    location /live/ {
      secure_link \$arg_md5,\$arg_expires;
      secure_link_md5 "\$secure_link_expires\$uri $SECRET";
      if (\$secure_link = "") { return 403; }
      if (\$secure_link = "0") { return 410; }
      add_header Cache-Control "private, max-age=60";
    }
  }
}
CONF
cp "$NGINX_DIR/nginx.conf" "$OUT/nginx.conf"
nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" > "$NGINX_DIR/stdout.log" 2>&1 &
NGINX_PID=$!
sleep 1
kill -0 "$NGINX_PID" 2>/dev/null || { cat "$NGINX_DIR/error.log" >&2; warn "nginx did not start"; exit 1; }

nginx_url() { # path -> signed URL valid 10 minutes
  local expires=$(( $(date +%s) + 600 ))
  local md5; md5=$(printf '%s%s %s' "$expires" "$1" "$SECRET" | openssl md5 -binary | openssl base64 | tr '+/' '-_' | tr -d '=')
  printf 'http://127.0.0.1:%s%s?md5=%s&expires=%s' "$NGINX_PORT" "$1" "$md5" "$expires"
}

measure() { # target url round -> appends to raw.csv
  local target=$1 url=$2 round=$3 log="$OUT/wrk-$1-$3.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" > "$log" 2>&1
  local rps p50 p99 non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' "$log")
  p50=$(awk '$1=="50%" {print $2}' "$log")
  p99=$(awk '$1=="99%" {print $2}' "$log")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$log"); non2xx=${non2xx:-0}
  printf '%s,%s,%s,%s,%s,%s\n' "$round" "$target" "$rps" "$p50" "$p99" "$non2xx" >> "$OUT/raw.csv"
  say "  round $round $target: $rps req/s, p50 $p50, p99 $p99, non-2xx $non2xx"
  [ "$non2xx" = 0 ] || { warn "$target answered $non2xx errors in round $round (see $log): the figures would be wrong"; exit 1; }
}

echo "round,target,requests_per_s,p50,p99,non_2xx" > "$OUT/raw.csv"
SIZE=0
for round in $(seq 1 "$ROUNDS"); do
  GW=$(segment_url)
  # The encrypted bytes this session gets for that segment, served by nginx from its own file.
  curl -s -o "$NGINX_DIR/www/live/demo/360p/segment.ts" -w '%{http_code}' "$GW" | grep -q 200 || { warn "the gateway did not serve $GW"; exit 1; }
  SIZE=$(stat -c %s "$NGINX_DIR/www/live/demo/360p/segment.ts")
  NG=$(nginx_url /live/demo/360p/segment.ts)
  [ "$(curl -s -o /dev/null -w '%{http_code}' "${NG%%md5=*}md5=AAAA${NG#*md5=????}")" = 403 ] || warn "nginx accepted a wrong secure_link hash"
  if [ "$round" = 1 ]; then
    say "Warm-up ${WARMUP}s each (segment of $SIZE bytes)..."
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$GW" > "$OUT/wrk-warmup-gateway.txt" 2>&1
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$NG" > "$OUT/wrk-warmup-nginx.txt" 2>&1
    GW=$(segment_url) # the warm-up used up part of the URL's lifetime (the playback token's, at most 2 minutes)
    say "Measuring: $ROUNDS rounds x ${DURATION}s per target, $CONNECTIONS connections, $THREADS wrk threads, alternating order"
  fi
  if [ $((round % 2)) = 1 ]; then measure gateway "$GW" "$round"; measure nginx "$NG" "$round"
  else measure nginx "$NG" "$round"; measure gateway "$GW" "$round"; fi
done

to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; printf "%.3f", v}'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -F, -v t="$1" -v c="$2" 'NR>1 && $2==t {print $c}' "$OUT/raw.csv"; }
GW_RPS=$(col gateway 3 | median); NG_RPS=$(col nginx 3 | median)
GW_P99=$(col gateway 5 | while read -r v; do echo "$v" | to_ms; echo; done | median)
NG_P99=$(col nginx 5 | while read -r v; do echo "$v" | to_ms; echo; done | median)
GW_P50=$(col gateway 4 | while read -r v; do echo "$v" | to_ms; echo; done | median)
NG_P50=$(col nginx 4 | while read -r v; do echo "$v" | to_ms; echo; done | median)
RATIO=$(awk -v a="$GW_RPS" -v b="$NG_RPS" 'BEGIN {printf "%.2f", a/b}')
P99_RATIO=$(awk -v a="$GW_P99" -v b="$NG_P99" 'BEGIN {printf "%.2f", a/b}')
{
  echo "# Segment delivery: stream-gateway vs nginx secure_link ($STAMP)"
  echo
  echo "$(nproc) cores, $(uname -r); segment $SIZE bytes (AES-128 encrypted, 360p); wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds (medians)"
  echo
  echo "| target | requests/s | p50 ms | p99 ms |"
  echo "|---|---|---|---|"
  echo "| stream-gateway | $GW_RPS | $GW_P50 | $GW_P99 |"
  echo "| nginx secure_link | $NG_RPS | $NG_P50 | $NG_P99 |"
  echo
  echo "Ratio gateway/nginx: requests/s $RATIO, p99 $P99_RATIO"
} > "$OUT/summary.md"
say ""
cat "$OUT/summary.md"
say ""
say "Raw results: $OUT"
