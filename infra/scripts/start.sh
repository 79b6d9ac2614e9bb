#!/usr/bin/env bash
# Runs Simpul on this machine: `npm start` runs this script.
#
#  1. installs dependencies when node_modules is missing
#  2. makes PostgreSQL and NATS available (infra/scripts/infra.sh)
#  3. builds (npx turbo run build; generates the Prisma clients)
#  4. for each service: db:migrate, then db:seed (idempotent; demo data once)
#  5. starts every service and the gateway, each line of output prefixed with
#     its name, and waits for the gateway's /ready
#  6. prints the GraphiQL address and the demo admin login
# Ctrl-C stops everything (SIGTERM, then SIGKILL after 10 s) and exits 0. If one
# of the processes exits by itself, the others are stopped and the exit status is 1.
#
# Environment: GATEWAY_PORT (4000), GATEWAY_HOST, GATEWAY_SERVICES (the services
# below), SIMPUL_DEMO (true), SIMPUL_ADMIN_PASSWORD, SIMPUL_STATE_DIR
# ($HOME/.simpul), SIMPUL_READY_TIMEOUT (90 s), DATABASE_URL, NATS_URL, and
# whatever else the services read.
set -euo pipefail

# shellcheck source=infra/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SIMPUL_ROOT"

TAG=start
log() { simpul_log "$TAG" "$@"; }
die() { simpul_die "$TAG" "$@"; }

READY_TIMEOUT=${SIMPUL_READY_TIMEOUT:-90} # seconds
STOP_TIMEOUT=10                           # seconds between SIGTERM and SIGKILL
GATEWAY_PORT=${GATEWAY_PORT:-4000}
# Where to reach the gateway from here (it listens on GATEWAY_HOST, default 127.0.0.1).
case ${GATEWAY_HOST:-127.0.0.1} in
  0.0.0.0 | :: | "[::]" | localhost | 127.*) GATEWAY_ADDR=127.0.0.1 ;;
  *:*) GATEWAY_ADDR="[$GATEWAY_HOST]" ;;
  *) GATEWAY_ADDR=$GATEWAY_HOST ;;
esac

# ---------------------------------------------------------------- children
# Each child runs as its own process group (job control is on while it starts),
# so stopping the group reaches npm, tsx, node and anything they spawned. The
# child's output goes through a process substitution that adds the prefix; it is
# not the job itself, so the job ends exactly when the command does.

CHILD_NAMES=()
CHILD_PIDS=() # the command's pid; also its process group id

# start_child NAME COMMAND...   runs COMMAND in the background, output prefixed
start_child() {
  local name=$1
  shift
  set -m
  "$@" </dev/null > >(simpul_prefix "$name") 2>&1 &
  local pid=$!
  set +m
  CHILD_NAMES+=("$name")
  CHILD_PIDS+=("$pid")
  log "started $name (pid $pid, its own process group): $*"
}

group_alive() { kill -0 -- "-$1" 2>/dev/null; }

stop_children() {
  local i n=${#CHILD_PIDS[@]} waited=0 alive
  ((n > 0)) || return 0
  log "stopping ${CHILD_NAMES[*]} (SIGTERM)"
  for ((i = 0; i < n; i++)); do
    kill -TERM -- "-${CHILD_PIDS[i]}" 2>/dev/null || true
  done
  while :; do
    alive=0
    for ((i = 0; i < n; i++)); do
      group_alive "${CHILD_PIDS[i]}" && alive=1
    done
    ((alive)) || break
    if ((waited >= STOP_TIMEOUT * 5)); then
      for ((i = 0; i < n; i++)); do
        if group_alive "${CHILD_PIDS[i]}"; then
          log "${CHILD_NAMES[i]} did not stop within ${STOP_TIMEOUT} s; sending SIGKILL"
          kill -KILL -- "-${CHILD_PIDS[i]}" 2>/dev/null || true
        fi
      done
      break
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  wait 2>/dev/null || true
  CHILD_NAMES=()
  CHILD_PIDS=()
  log "stopped"
}

on_signal() {
  trap '' INT TERM HUP
  echo
  log "interrupted"
  stop_children
  exit 0
}

on_exit() {
  local rc=$?
  trap '' INT TERM HUP
  stop_children
  exit "$rc"
}

# Sets DEAD to "NAME (exit status N)" for the first child whose command has
# exited, or to "". (What is left of its process group is stopped by
# stop_children.) Not to be called in $(...): wait only sees this shell's children.
find_dead_child() {
  local i rc
  DEAD=""
  for ((i = 0; i < ${#CHILD_PIDS[@]}; i++)); do
    if ! kill -0 "${CHILD_PIDS[i]}" 2>/dev/null; then
      rc=0
      wait "${CHILD_PIDS[i]}" 2>/dev/null || rc=$?
      DEAD="${CHILD_NAMES[i]} (exit status $rc)"
      return 0
    fi
  done
}

# ---------------------------------------------------------------- steps

simpul_ensure_deps "$TAG"

log "infrastructure: running infra/scripts/infra.sh"
bash infra/scripts/infra.sh || die "PostgreSQL or NATS is not available (see above)"

log "build: npx turbo run build"
npx turbo run build || die "build failed (see above)"

mapfile -t services < <(simpul_services)
((${#services[@]} > 0)) || die "none of the services in SERVICES ($SERVICES) exists under apps/"
[[ -f apps/gateway/package.json ]] || die "apps/gateway/package.json is missing"

for s in "${services[@]}"; do
  log "database: npm run -w @simpul/$s db:migrate"
  npm run -w "@simpul/$s" db:migrate 2>&1 | simpul_prefix "$s" || die "db:migrate failed for $s"
  log "database: npm run -w @simpul/$s db:seed"
  npm run -w "@simpul/$s" db:seed 2>&1 | simpul_prefix "$s" || die "db:seed failed for $s"
done

if simpul_tcp_open "${GATEWAY_ADDR//[][]/}" "$GATEWAY_PORT" 2>/dev/null; then
  die "port $GATEWAY_PORT is already in use (is Simpul already running?); stop that process or set GATEWAY_PORT"
fi

export SIMPUL_DEMO="${SIMPUL_DEMO:-true}"
export GATEWAY_PORT
# The gateway stitches the services started here (unless told otherwise).
GATEWAY_SERVICES=${GATEWAY_SERVICES:-$(IFS=,; printf '%s' "${services[*]}")}
export GATEWAY_SERVICES
log "starting ${services[*]} and gateway (SIMPUL_DEMO=$SIMPUL_DEMO, GATEWAY_PORT=$GATEWAY_PORT, GATEWAY_SERVICES=$GATEWAY_SERVICES); press Ctrl-C to stop"

trap on_signal INT TERM HUP
trap on_exit EXIT

for s in "${services[@]}"; do
  start_child "$s" npm run -w "@simpul/$s" start
done
start_child gateway npm run -w @simpul/gateway start

ready_url="http://$GATEWAY_ADDR:$GATEWAY_PORT/ready"
log "waiting up to ${READY_TIMEOUT} s for $ready_url"
start_time=$SECONDS
next_note=5
until curl -sf -o /dev/null --max-time 2 "$ready_url"; do
  elapsed=$((SECONDS - start_time))
  find_dead_child
  if [[ -n $DEAD ]]; then
    log "$DEAD exited before the gateway was ready (see its output above)"
    exit 1 # on_exit stops the others
  fi
  if ((elapsed >= READY_TIMEOUT)); then
    log "the gateway was not ready after ${READY_TIMEOUT} s (see the output above); try: curl $ready_url"
    exit 1
  fi
  if ((elapsed >= next_note)); then
    log "still waiting for $ready_url (${elapsed} s)"
    next_note=$((next_note + 5))
  fi
  sleep 1
done

password_file="$SIMPUL_STATE_DIR/admin-password"
log "ready after $((SECONDS - start_time)) s"
log ""
log "  GraphiQL:  http://$GATEWAY_ADDR:$GATEWAY_PORT/graphql"
log "  login:     username admin"
if [[ -n ${SIMPUL_ADMIN_PASSWORD:-} ]]; then
  log "             password: the value of SIMPUL_ADMIN_PASSWORD"
elif [[ -s $password_file ]]; then
  log "             password: $(head -n 1 "$password_file")   (from $password_file)"
else
  log "             password: generated at first start; see the identity log above (it is also saved in $password_file)"
fi
log ""
log "press Ctrl-C to stop"

# Run until Ctrl-C (on_signal) or until one of the processes exits.
while :; do
  wait -n 2>/dev/null || true
  find_dead_child
  if [[ -n $DEAD ]]; then
    log "$DEAD exited; stopping the others"
    exit 1
  fi
  sleep 1 # wait -n returned although every command still runs
done
