#!/usr/bin/env bash
# Login benchmark: Palisade auth-service vs Keycloak 26 under the same load on this machine.
#   bench/login/run.sh            build/fetch what is missing, start everything, seed users, run, print the table
# Settings (environment variables, defaults in brackets):
#   BENCH_USERS [1000]  BENCH_DURATION [25] s per target per scenario  BENCH_CONCURRENCY [8,32]  BENCH_REPS [3]
#   BENCH_WARMUP [120] s  ARGON2_MEMORY_KIB [19456]  ARGON2_ITERATIONS [2]  (Argon2id, parallelism 1, 32-byte hash)
#   KEYCLOAK_VERSION [26.7.3]  ports: BENCH_PG_PORT [15432] BENCH_KAFKA_PORT [19092] BENCH_KAFKA_CONTROLLER_PORT [19093]
#   BENCH_PALISADE_PORT [18081] BENCH_KEYCLOAK_PORT [18080] BENCH_KEYCLOAK_MGMT_PORT [19000]
# Everything it starts is stopped on exit, failure or Ctrl-C. Output: bench/.work/results/<time>/ (raw.csv, summary.md, logs).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH="$ROOT/bench"
WORK="$BENCH/.work"
USERS=${BENCH_USERS:-1000}
DURATION=${BENCH_DURATION:-25}
CONCURRENCY=${BENCH_CONCURRENCY:-8,32}
REPS=${BENCH_REPS:-3}
WARMUP=${BENCH_WARMUP:-120}
ARGON2_MEMORY_KIB=${ARGON2_MEMORY_KIB:-19456}
ARGON2_ITERATIONS=${ARGON2_ITERATIONS:-2}
ARGON2_PARALLELISM=1
KC_VERSION=${KEYCLOAK_VERSION:-26.7.3}
PG_PORT=${BENCH_PG_PORT:-15432}
KAFKA_PORT=${BENCH_KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=${BENCH_KAFKA_CONTROLLER_PORT:-19093}
PALISADE_PORT=${BENCH_PALISADE_PORT:-18081}
KC_PORT=${BENCH_KEYCLOAK_PORT:-18080}
KC_MGMT_PORT=${BENCH_KEYCLOAK_MGMT_PORT:-19000}
# The same heap and default (G1) collector for both servers.
SERVER_HEAP=${BENCH_SERVER_HEAP:--Xms512m -Xmx2g}
PASSWORD="amber-falcon-quartz-71" # 12+ characters, not a common password; the same for every user of both systems

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$WORK/results/$STAMP"
LOGS="$OUT/logs"
mkdir -p "$LOGS"

say() { printf '%s\n' "$*"; }
warn() { printf 'run.sh: %s\n' "$*" >&2; }

# --- stop everything we started, whatever happens -------------------------------------------------
PIDS=()   # in start order; stopped in reverse
NAMES=()
cleanup() {
  local i pid
  trap - EXIT INT TERM
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[$i]}
    if kill -0 "$pid" 2>/dev/null; then
      say "stopping ${NAMES[$i]} (pid $pid)"
      kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && { warn "${NAMES[$i]} did not stop in 20 s; killing it"; kill -KILL "$pid" 2>/dev/null; }
    fi
  done
}
trap 'cleanup; exit 130' INT TERM
trap 'rc=$?; cleanup; exit $rc' EXIT

fail() { warn "$*"; exit 1; }

start() { # name command... ; output to $LOGS/name.log
  local name=$1; shift
  "$@" > "$LOGS/$name.log" 2>&1 < /dev/null &
  PIDS+=($!)
  NAMES+=("$name")
  say "started $name (pid $!), log $LOGS/$name.log"
}
pid_of() { local i; for i in "${!NAMES[@]}"; do [ "${NAMES[$i]}" = "$1" ] && echo "${PIDS[$i]}"; done; }
java_pid_of() { # the JVM of a started process: itself, or its java child (kc.sh runs java as a child)
  local pid; pid=$(pid_of "$1")
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = java ]; then echo "$pid"; return; fi
  ps -eo pid=,ppid=,comm= | awk -v p="$pid" '$2 == p && $3 == "java" { print $1; exit }'
}

await() { # name timeout-seconds test-command... : until the command succeeds, the process dies or time runs out
  local name=$1 timeout=$2; shift 2
  local deadline=$(( $(date +%s) + timeout )) pid; pid=$(pid_of "$name")
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { tail -30 "$LOGS/$name.log" >&2; fail "$name exited during start-up (log $LOGS/$name.log)"; }
    [ "$(date +%s)" -lt "$deadline" ] || { tail -30 "$LOGS/$name.log" >&2; fail "$name not ready within ${timeout}s (log $LOGS/$name.log)"; }
    sleep 0.5
  done
}
http_ok() { [ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$1")" = 200 ]; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- preconditions ---------------------------------------------------------------------------------
command -v java >/dev/null || fail "java (17+) is needed"
command -v curl >/dev/null || fail "curl is needed"
command -v unzip >/dev/null || fail "unzip is needed"
for p in "$PG_PORT" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$PALISADE_PORT" "$KC_PORT" "$KC_MGMT_PORT"; do
  port_free "$p" || fail "port $p is in use; choose another with the BENCH_*_PORT variables"
done

# --- Palisade auth-service: build only when missing or older than its sources ----------------------
JAR="$ROOT/auth-service/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/auth-service/src/main" "$ROOT/auth-service/pom.xml" -newer "$JAR" -type f 2>/dev/null | head -1)" ]; then
  say "building auth-service (output $LOGS/build.log)..."
  (cd "$ROOT" && ./mvnw -B -o -pl auth-service -am package -DskipTests) > "$LOGS/build.log" 2>&1 \
    || { tail -30 "$LOGS/build.log" >&2; fail "the auth-service build failed"; }
fi
[ -d "$ROOT/dev/test-support/target/lib" ] && [ -d "$ROOT/dev/test-support/target/classes" ] \
  || fail "dev/test-support is not built: run ./mvnw -B -o -pl dev/test-support -am package -DskipTests (or dev/up once)"
# Run a private copy, so a rebuild in the working tree during the benchmark cannot change what runs.
rm -rf "$WORK/palisade-app" && cp -rp "$ROOT/auth-service/target/quarkus-app" "$WORK/palisade-app" || fail "cannot copy auth-service"
JAR_TIME=$(date -u -r "$WORK/palisade-app/quarkus-run.jar" +%Y-%m-%dT%H:%M:%SZ)
INFRA_CP="$ROOT/dev/test-support/target/classes:$ROOT/dev/test-support/target/lib/*"

# --- Keycloak: fetch from Maven Central when missing -----------------------------------------------
KC_HOME="$WORK/keycloak-$KC_VERSION"
if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
  say "fetching org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip ..."
  mkdir -p "$WORK/dl"
  (cd "$WORK" && mvn -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" -DoutputDirectory="$WORK/dl") \
    > "$LOGS/keycloak-fetch.log" 2>&1 || { tail -20 "$LOGS/keycloak-fetch.log" >&2; fail "cannot fetch Keycloak $KC_VERSION"; }
  unzip -q -o "$WORK/dl/keycloak-quarkus-dist-$KC_VERSION.zip" -d "$WORK" || fail "cannot unpack Keycloak"
fi
# A fresh dev database and the realm of this run.
rm -rf "$KC_HOME/data"
mkdir -p "$KC_HOME/data/import"
BCPROV=$(ls "$KC_HOME"/lib/lib/main/org.bouncycastle.bcprov-*.jar | head -1)
say "writing the Keycloak realm with $USERS users..."
java -cp "$BCPROV" "$BENCH/login/KeycloakRealm.java" "$KC_HOME/data/import/bench-realm.json" "$OUT/keycloak-users.csv" \
  "$USERS" "$PASSWORD" "$ARGON2_MEMORY_KIB" "$ARGON2_ITERATIONS" "$ARGON2_PARALLELISM" || fail "cannot write the realm"

# --- start -----------------------------------------------------------------------------------------
rm -rf "$WORK/data" && mkdir -p "$WORK/data"
INFRA_JAVA=(java -Xmx512m -XX:+UseSerialGC "-Dlogback.configurationFile=$ROOT/dev/logback-local.xml" -cp "$INFRA_CP" dev.palisade.testsupport.LocalStackMain)
start postgres "${INFRA_JAVA[@]}" postgres --port "$PG_PORT" --data "$WORK/data/postgres" --databases auth
start kafka "${INFRA_JAVA[@]}" kafka --port "$KAFKA_PORT" --controller-port "$KAFKA_CONTROLLER_PORT" --data "$WORK/data/kafka"
start keycloak env KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="bench-$(head -c 12 /dev/urandom | base64 | tr -dc a-zA-Z0-9)" \
  JAVA_OPTS_KC_HEAP="$SERVER_HEAP" \
  "$KC_HOME/bin/kc.sh" start-dev --http-port "$KC_PORT" --http-management-port "$KC_MGMT_PORT" --import-realm \
  --spi-password-hashing--argon2--memory="$ARGON2_MEMORY_KIB" --spi-password-hashing--argon2--iterations="$ARGON2_ITERATIONS" \
  --spi-password-hashing--argon2--parallelism="$ARGON2_PARALLELISM"
await postgres 120 grep -q '^READY postgres' "$LOGS/postgres.log"
await kafka 120 grep -q '^READY kafka' "$LOGS/kafka.log"
start palisade env PALISADE_HTTP_PORT="$PALISADE_PORT" PALISADE_DB_HOST=127.0.0.1 PALISADE_DB_PORT="$PG_PORT" PALISADE_DB_NAME=auth \
  PALISADE_DB_USER=postgres PALISADE_DB_PASSWORD=postgres PALISADE_KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT" \
  PALISADE_ISSUER_URL="http://127.0.0.1:$PALISADE_PORT" \
  PALISADE_AUTH_ENCRYPTION_KEYS="bench-1:$(head -c 32 /dev/urandom | base64)" PALISADE_AUTH_ENCRYPTION_KEY_ID=bench-1 \
  PALISADE_ARGON2_MEMORY_KIB="$ARGON2_MEMORY_KIB" PALISADE_ARGON2_ITERATIONS="$ARGON2_ITERATIONS" \
  PALISADE_AUTH_PASSWORD_ARGON2_PARALLELISM="$ARGON2_PARALLELISM" \
  java $SERVER_HEAP -jar "$WORK/palisade-app/quarkus-run.jar"
await palisade 180 http_ok "http://127.0.0.1:$PALISADE_PORT/q/health/ready"
say "Palisade auth-service ready on http://127.0.0.1:$PALISADE_PORT"
await keycloak 240 http_ok "http://127.0.0.1:$KC_PORT/realms/bench/.well-known/openid-configuration"
say "Keycloak ready on http://127.0.0.1:$KC_PORT"

# --- seed Palisade (Keycloak's users came with the realm) -------------------------------------------
say "seeding $USERS Palisade users (register, sign in, enrol and confirm TOTP)..."
java "$BENCH/login/LoginBench.java" seed-palisade "http://127.0.0.1:$PALISADE_PORT" "$USERS" "$PASSWORD" "$OUT/palisade-users.csv" 4 \
  || fail "seeding Palisade failed"

# --- run -------------------------------------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "memory: $(free -m | awk '/^Mem:/{print $2 " MiB total"}')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "loadavg before run: $(cat /proc/loadavg)"
  java -version 2>&1 | sed 's/^/java: /'
  echo "keycloak: $KC_VERSION (start-dev, H2 dev database)"
  echo "palisade auth-service jar built: $JAR_TIME; working tree at commit $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null) (plus uncommitted changes of others, if any)"
  echo "argon2id: memory ${ARGON2_MEMORY_KIB} KiB, iterations $ARGON2_ITERATIONS, parallelism $ARGON2_PARALLELISM, hash 32 bytes, salt 16 bytes"
  echo "users: $USERS per system; duration ${DURATION}s; warm-up ${WARMUP}s; concurrency $CONCURRENCY; repetitions $REPS; server heap $SERVER_HEAP"
} | tee "$OUT/environment.txt"

java "$BENCH/login/LoginBench.java" run \
  palisade="http://127.0.0.1:$PALISADE_PORT" palisadeUsers="$OUT/palisade-users.csv" palisadePid="$(java_pid_of palisade)" \
  keycloak="http://127.0.0.1:$KC_PORT" keycloakUsers="$OUT/keycloak-users.csv" keycloakPid="$(java_pid_of keycloak)" \
  concurrency="$CONCURRENCY" reps="$REPS" duration="$DURATION" warmup="$WARMUP" out="$OUT" 2>&1 | tee "$OUT/bench.log"
rc=${PIPESTATUS[0]}
echo "loadavg after run: $(cat /proc/loadavg)" | tee -a "$OUT/environment.txt"
say "results: $OUT"
exit "$rc"
