# shellcheck shell=bash
# Shared helpers for infra/scripts/*.sh. Source it; it only defines variables and
# functions (it sets no shell options and runs nothing).
#
#   SIMPUL_ROOT        absolute path of the repository root
#   SIMPUL_STATE_DIR   exported; ${SIMPUL_STATE_DIR:-$HOME/.simpul} (NATS store and
#                      logs, the seeded admin password, ...)
#   SERVICES           the services, in start order; add new ones here

# The one list of services. A service counts only once apps/<name>/package.json
# exists (see simpul_services), so names can be added before the code lands.
SERVICES="identity personnel documents registry telemetry"

SIMPUL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SIMPUL_STATE_DIR="${SIMPUL_STATE_DIR:-${HOME:-/tmp}/.simpul}"
export SIMPUL_STATE_DIR

# simpul_log TAG MESSAGE...   prints "[TAG] MESSAGE" on stdout
simpul_log() {
  local tag=$1
  shift
  printf '[%s] %s\n' "$tag" "$*"
}

# simpul_die TAG MESSAGE...   prints "[TAG] error: MESSAGE" on stderr, exits 1
simpul_die() {
  local tag=$1
  shift
  printf '[%s] error: %s\n' "$tag" "$*" >&2
  exit 1
}

# simpul_prefix TAG   copies stdin to stdout with "[TAG] " before each line.
# It ignores SIGINT/SIGTERM so that, when a process group is stopped, it keeps
# copying the process's last lines until the pipe closes.
simpul_prefix() {
  (
    trap '' INT TERM
    exec sed -u "s/^/[$1] /"
  )
}

# simpul_services   prints the entries of SERVICES that exist as apps/<name>
simpul_services() {
  local s out=()
  for s in $SERVICES; do
    [[ -f "$SIMPUL_ROOT/apps/$s/package.json" ]] && out+=("$s")
  done
  printf '%s\n' "${out[@]+"${out[@]}"}"
}

# simpul_require_node TAG   checks that node and npm are on PATH
simpul_require_node() {
  command -v node >/dev/null 2>&1 || simpul_die "$1" "node is not on PATH; install Node.js 24 or 22 (LTS)"
  command -v npm >/dev/null 2>&1 || simpul_die "$1" "npm is not on PATH; install npm (it comes with Node.js)"
}

# simpul_ensure_deps TAG   installs the workspace's dependencies when node_modules
# is missing: "npm ci" when there is a lockfile, else "npm install".
simpul_ensure_deps() {
  local tag=$1
  simpul_require_node "$tag"
  if [[ -d "$SIMPUL_ROOT/node_modules" ]]; then
    simpul_log "$tag" "dependencies: node_modules exists; not installing"
    return 0
  fi
  if [[ -f "$SIMPUL_ROOT/package-lock.json" ]]; then
    simpul_log "$tag" "dependencies: node_modules is missing; running npm ci"
    (cd "$SIMPUL_ROOT" && npm ci --no-audit --no-fund) || simpul_die "$tag" "npm ci failed"
  else
    simpul_log "$tag" "dependencies: node_modules is missing and there is no package-lock.json; running npm install"
    (cd "$SIMPUL_ROOT" && npm install --no-audit --no-fund) || simpul_die "$tag" "npm install failed"
  fi
}

# simpul_url_parse URL DEFAULT_PORT
# Sets URL_HOST, URL_PORT, URL_USER, URL_PASS (percent-encoding left as is) from
# scheme://user:pass@host:port/path?query; the scheme and userinfo are optional;
# an IPv6 host is written [::1]. Only the first of a comma-separated list is used.
# shellcheck disable=SC2034 # URL_* are read by the callers
simpul_url_parse() {
  local url=$1 default_port=$2 rest hostport userinfo=""
  url=${url%%,*}
  rest=${url#*://}
  rest=${rest%%/*}
  rest=${rest%%\?*}
  if [[ $rest == *@* ]]; then
    userinfo=${rest%@*}
    rest=${rest##*@}
  fi
  hostport=$rest
  URL_USER="" URL_PASS=""
  if [[ -n $userinfo ]]; then
    URL_USER=${userinfo%%:*}
    [[ $userinfo == *:* ]] && URL_PASS=${userinfo#*:}
  fi
  if [[ $hostport == \[*\]* ]]; then # [v6]:port
    URL_HOST=${hostport#\[}
    URL_HOST=${URL_HOST%%\]*}
    URL_PORT=${hostport##*\]}
    URL_PORT=${URL_PORT#:}
  elif [[ $hostport == *:* ]]; then
    URL_HOST=${hostport%:*}
    URL_PORT=${hostport##*:}
  else
    URL_HOST=$hostport
    URL_PORT=""
  fi
  [[ -n $URL_HOST ]] || URL_HOST=127.0.0.1
  [[ -n $URL_PORT ]] || URL_PORT=$default_port
}

# simpul_url_decode STRING   undoes %XX percent-encoding
simpul_url_decode() {
  local s=$1
  printf '%b' "${s//%/\\x}"
}

# simpul_is_local HOST   true for loopback names and addresses
simpul_is_local() {
  case $1 in
    localhost | 127.* | ::1 | 0:0:0:0:0:0:0:1) return 0 ;;
    *) return 1 ;;
  esac
}

# simpul_tcp_open HOST PORT   true when a TCP connection succeeds within 2 s
simpul_tcp_open() {
  local host=$1 port=$2
  # shellcheck disable=SC2016 # $0/$1 are expanded by the inner bash
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null
  else
    bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null
  fi
}

# simpul_demo_enabled TAG   succeeds when SIMPUL_DEMO (npm start's default: true) asks
# for demo data; accepts the values the services accept, and stops on any other.
simpul_demo_enabled() {
  case ${SIMPUL_DEMO:-true} in
    true | 1 | yes) return 0 ;;
    false | 0 | no) return 1 ;;
    *) simpul_die "$1" "SIMPUL_DEMO must be true, false, 1, 0, yes or no (got '$SIMPUL_DEMO')" ;;
  esac
}

# simpul_prepare_database TAG SERVICE   applies SERVICE's migrations and, only in demo
# mode (simpul_demo_enabled), loads its demo data; stops on a failure.
simpul_prepare_database() {
  local tag=$1 service=$2 demo=false
  if simpul_demo_enabled "$tag"; then demo=true; fi # stops here on a bad value
  simpul_log "$tag" "database: npm run -w apps/$service db:migrate"
  npm run -w "apps/$service" db:migrate 2>&1 | simpul_prefix "$service" || simpul_die "$tag" "db:migrate failed for $service"
  if [[ $demo == true ]]; then
    simpul_log "$tag" "database: npm run -w apps/$service db:seed"
    npm run -w "apps/$service" db:seed 2>&1 | simpul_prefix "$service" || simpul_die "$tag" "db:seed failed for $service"
  else
    simpul_log "$tag" "database: no demo data for $service (SIMPUL_DEMO=$SIMPUL_DEMO)"
  fi
}
