#!/usr/bin/env bash
# Runs Simpul on this machine: `npm start` runs this script.
#
#  1. installs dependencies when node_modules is missing
#  2. makes PostgreSQL and NATS available (infra/scripts/infra.sh --platform: when the
#     machine's NATS admits anyone, Simpul runs its own authenticating server, and each
#     process connects as its own NKey user; token signing keys are pinned)
#  3. builds (npx turbo run build; generates the Prisma clients)
#  4. for each service: db:migrate, then, only when SIMPUL_DEMO is true (the
#     default here), db:seed (idempotent; demo data once)
#  5. runs every service and the gateway under the supervisor (packages/supervisor),
#     each line of output prefixed with its name, and waits for the gateway's /ready
#  6. prints the GraphiQL address and the demo admin login
# A process that dies is restarted (after 1 s, 2 s, 4 s, ... up to 30 s) while the
# others keep serving; after SIMPUL_RESTART_LIMIT (5) restarts in a row, each within
# 60 s of starting, it is given up and the others go on. Ctrl-C stops everything
# (SIGTERM, then SIGKILL after 10 s) and exits 0; the exit status is 1 when every
# process was given up.
#
# Environment: GATEWAY_PORT (4000), GATEWAY_HOST, GATEWAY_SERVICES (the services
# below), SIMPUL_DEMO (true), SIMPUL_ADMIN_PASSWORD, SIMPUL_STATE_DIR
# ($HOME/.simpul), SIMPUL_READY_TIMEOUT (90 s), SIMPUL_RESTART_LIMIT (5),
# DATABASE_URL, NATS_URL, and whatever else the services read.
set -euo pipefail

# shellcheck source=infra/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SIMPUL_ROOT"

TAG=start
log() { simpul_log "$TAG" "$@"; }
die() { simpul_die "$TAG" "$@"; }

READY_TIMEOUT=${SIMPUL_READY_TIMEOUT:-90} # seconds
STOP_TIMEOUT=10                           # seconds between SIGTERM and SIGKILL
RESTART_LIMIT=${SIMPUL_RESTART_LIMIT:-5}  # restarts in a row before a process is given up
GATEWAY_PORT=${GATEWAY_PORT:-4000}
# Where to reach the gateway from here (it listens on GATEWAY_HOST, default 127.0.0.1).
case ${GATEWAY_HOST:-127.0.0.1} in
  0.0.0.0 | :: | "[::]" | localhost | 127.*) GATEWAY_ADDR=127.0.0.1 ;;
  *:*) GATEWAY_ADDR="[$GATEWAY_HOST]" ;;
  *) GATEWAY_ADDR=$GATEWAY_HOST ;;
esac

# ---------------------------------------------------------------- supervision
# The services and the gateway run under packages/supervisor (see infra/README.md for
# why not PM2): a process that dies is restarted with backoff while the others keep
# serving, one that keeps dying is given up with a clear message, every line is
# prefixed with its process's name, and Ctrl-C stops them all.

# announce_when_ready PID   polls the gateway's /ready in the background and, once it
# answers, prints the GraphiQL address and the demo login. It ends when process PID
# (the supervisor) does.
announce_when_ready() {
  local supervisor=$1 ready_url="http://$GATEWAY_ADDR:$GATEWAY_PORT/ready" start_time=$SECONDS elapsed next_note=5 warned=0
  local password_file="$SIMPUL_STATE_DIR/admin-password"
  log "waiting up to ${READY_TIMEOUT} s for $ready_url"
  until curl -sf -o /dev/null --max-time 2 "$ready_url"; do
    kill -0 "$supervisor" 2>/dev/null || return 0
    elapsed=$((SECONDS - start_time))
    if ((elapsed >= READY_TIMEOUT && !warned)); then
      log "the gateway is not ready after ${READY_TIMEOUT} s (see the output above; try: curl $ready_url); still waiting"
      warned=1
    elif ((elapsed >= next_note && !warned)); then
      log "still waiting for $ready_url (${elapsed} s)"
      next_note=$((next_note + 5))
    fi
    sleep 1
  done
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
  log "  console:   http://$GATEWAY_ADDR:$GATEWAY_PORT/console   (operators: username operator, same password)"
  log ""
  if simpul_demo_enabled "$TAG"; then
    # The demo platform's own traffic, so the console has something to show at once.
    local password=${SIMPUL_ADMIN_PASSWORD:-}
    [[ -n $password || ! -s $password_file ]] || password=$(head -n 1 "$password_file")
    log "demo traffic: a few demo users read their pages through the gateway (infra/scripts/demo-traffic.mjs)"
    node infra/scripts/demo-traffic.mjs "http://$GATEWAY_ADDR:$GATEWAY_PORT" "$password" 2>&1 | simpul_prefix demo || true
    log ""
  fi
  log "press Ctrl-C to stop"
}

# ---------------------------------------------------------------- steps

simpul_ensure_deps "$TAG"

log "infrastructure: running infra/scripts/infra.sh --platform"
bash infra/scripts/infra.sh --platform || die "PostgreSQL or NATS is not available (see above)"

# Simpul's own authenticating NATS (when infra.sh started or found it): each process gets
# its own seed; identity also the token root key and the authorization file it keeps.
platform_env="$SIMPUL_STATE_DIR/nats/platform/active.env"
if [[ -f $platform_env ]]; then
  # shellcheck source=/dev/null
  source "$platform_env"
  export NATS_URL=$SIMPUL_PLATFORM_NATS_URL TOKEN_ROOT_PUBLIC_KEY
  log "NATS: processes connect to $NATS_URL, each as its own NKey user (seeds in $SIMPUL_PLATFORM_KEYS); token keys pinned by TOKEN_ROOT_PUBLIC_KEY"
fi
# process_env NAME   the env(1) prefix of one process's command ("" without the platform's NATS)
process_env() {
  [[ -f $platform_env ]] || return 0
  local name=$1 out
  out="env NATS_NKEY_SEED_FILE=$SIMPUL_PLATFORM_KEYS/$name.nk"
  if [[ $name == identity ]]; then
    out+=" TOKEN_ROOT_KEY_FILE=$TOKEN_ROOT_KEY_FILE NATS_AUTHORIZATION_FILE=$NATS_AUTHORIZATION_FILE"
    out+=" NATS_PLATFORM_USERS_FILE=$NATS_PLATFORM_USERS_FILE NATS_SERVER_PID_FILE=$NATS_SERVER_PID_FILE"
  fi
  printf '%s ' "$out"
}

log "build: npx turbo run build"
npx turbo run build || die "build failed (see above)"

mapfile -t services < <(simpul_services)
((${#services[@]} > 0)) || die "none of the services in SERVICES ($SERVICES) exists under apps/"
[[ -f apps/gateway/package.json ]] || die "apps/gateway/package.json is missing"

export SIMPUL_DEMO="${SIMPUL_DEMO:-true}"
simpul_demo_enabled "$TAG" || true # stops here on a value the services would refuse
for s in "${services[@]}"; do
  simpul_prepare_database "$TAG" "$s"
done

if simpul_tcp_open "${GATEWAY_ADDR//[][]/}" "$GATEWAY_PORT" 2>/dev/null; then
  die "port $GATEWAY_PORT is already in use (is Simpul already running?); stop that process or set GATEWAY_PORT"
fi

export GATEWAY_PORT
# The gateway stitches the services started here (unless told otherwise).
GATEWAY_SERVICES=${GATEWAY_SERVICES:-$(IFS=,; printf '%s' "${services[*]}")}
export GATEWAY_SERVICES
log "starting ${services[*]} and gateway (SIMPUL_DEMO=$SIMPUL_DEMO, GATEWAY_PORT=$GATEWAY_PORT, GATEWAY_SERVICES=$GATEWAY_SERVICES); press Ctrl-C to stop"

processes=()
for s in "${services[@]}"; do
  processes+=("$s=$(process_env "$s")npm run -w apps/$s start")
done
processes+=("gateway=$(process_env gateway)npm run -w @simpul/gateway start")

announce_when_ready $$ &
# exec: the supervisor takes this shell's place, so Ctrl-C and SIGTERM reach it directly.
exec node --import tsx packages/supervisor/src/main.ts \
  --restart-limit "$RESTART_LIMIT" --stop-timeout-ms $((STOP_TIMEOUT * 1000)) "${processes[@]}"
