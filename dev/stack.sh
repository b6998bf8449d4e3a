# Shared by dev/up, dev/status and dev/down: what the local stack is made of and how to reach it.
# Sourced, not run. Everything lives under .palisade/ in the repository: run/ (pids), logs/, data/.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${PALISADE_STATE_DIR:-$ROOT/.palisade}"
RUN="$STATE/run"
LOGS="$STATE/logs"
DATA="$STATE/data"

PG_PORT="${PALISADE_PG_PORT:-5432}"
KAFKA_PORT="${PALISADE_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${PALISADE_KAFKA_CONTROLLER_PORT:-9093}"
S3_PORT="${PALISADE_S3_PORT:-9000}"
# Demo live origins (dev/demo-origin): the demo channel's primary and backup.
ORIGIN_PRIMARY_PORT="${PALISADE_ORIGIN_PRIMARY_PORT:-8091}"
ORIGIN_BACKUP_PORT="${PALISADE_ORIGIN_BACKUP_PORT:-8092}"
# dev-only credentials of the local S3 (s3proxy); never used outside dev/up.
S3_ACCESS_KEY="${PALISADE_S3_ACCESS_KEY:-palisade-dev}"
S3_SECRET_KEY="${PALISADE_S3_SECRET_KEY:-palisade-dev-secret-only-for-local-use}"

# External servers: set PALISADE_PG=host:port (with PALISADE_PG_USER/PALISADE_PG_PASSWORD, databases must exist)
# or PALISADE_KAFKA=host:port to use them instead of starting embedded ones.
PG_EXTERNAL="${PALISADE_PG:-}"
KAFKA_EXTERNAL="${PALISADE_KAFKA:-}"

# name:port:database — start order; stopped in reverse.
SERVICES=(
  "auth-service:8081:auth"
  "billing-service:8082:billing"
  "entitlement-service:8083:entitlement"
  "stream-gateway:8084:gateway"
  "backup-service:8085:backup"
  "monitor-service:8086:monitor"
)
INFRA=(postgres kafka s3 origin-primary origin-backup)
ORIGIN_JAR="$ROOT/dev/demo-origin/target/palisade-demo-origin-0.1.0-SNAPSHOT.jar"

INFRA_CP="$ROOT/dev/test-support/target/classes:$ROOT/dev/test-support/target/lib/*"

say()  { printf '%s\n' "$*"; }
warn() { printf 'palisade: %s\n' "$*" >&2; }

pid_of() { # name -> pid if its process is alive
  local f="$RUN/$1.pid"
  [ -f "$f" ] || return 1
  local pid; pid=$(cat "$f" 2>/dev/null)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && { echo "$pid"; return 0; }
  return 1
}

port_in_use() { # port -> 0 if something listens on 127.0.0.1:port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

who_listens() { # port -> a description of the listening process, if the system can tell
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\),pid=\([0-9]*\).*/\1 (pid \2)/p' | head -1
  fi
}

http_status() { # url -> HTTP status code, 000 when nothing answers
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || echo 000
  else
    local hostport="${1#http://}"; hostport="${hostport%%/*}"; local path="/${1#http://*/}"
    local host="${hostport%%:*}" port="${hostport##*:}"
    { exec 3<>"/dev/tcp/$host/$port" && printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$host" >&3 \
      && head -1 <&3 | awk '{print $2}'; exec 3>&-; } 2>/dev/null || echo 000
  fi
}

json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; } # a string field of a flat JSON answer (dev scripts)

service_names() { local s; for s in "${SERVICES[@]}"; do echo "${s%%:*}"; done; }
service_port() { local s; for s in "${SERVICES[@]}"; do [ "${s%%:*}" = "$1" ] && { s="${s#*:}"; echo "${s%%:*}"; }; done; }
service_db() { local s; for s in "${SERVICES[@]}"; do [ "${s%%:*}" = "$1" ] && echo "${s##*:}"; done; }

# Stops one process by pid file: SIGTERM, then SIGKILL after a grace period.
stop_process() {
  local name=$1 grace=${2:-20} pid
  pid=$(pid_of "$name") || { rm -f "$RUN/$name.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null
  local i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt $((grace * 10)) ]; do sleep 0.1; i=$((i + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name (pid $pid) did not stop within ${grace}s; killing it"
    kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$RUN/$name.pid"
}

# The embedded PostgreSQL server is a child of its Java launcher; make sure it never outlives it.
stop_orphan_postgres() {
  local pidfile="$DATA/postgres/postmaster.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(head -1 "$pidfile")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -INT "$pid" 2>/dev/null # fast shutdown
    local i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  return 0
}

stop_all() {
  local name pids=()
  for name in $(service_names); do
    if pid_of "$name" >/dev/null; then
      say "  stopping $name"
      stop_process "$name" 30 &
      pids+=($!)
    fi
  done
  [ ${#pids[@]} -eq 0 ] || wait "${pids[@]}"
  for name in origin-backup origin-primary s3 kafka postgres; do
    if pid_of "$name" >/dev/null; then
      say "  stopping $name"
      stop_process "$name" 30
    fi
  done
  stop_orphan_postgres
}
