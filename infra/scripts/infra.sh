#!/usr/bin/env bash
# Makes PostgreSQL and NATS (with JetStream) available for Simpul. Idempotent: a
# server that already answers is used as it is; otherwise a local one is started,
# and on Debian as root, installed first. Every line it prints starts with [infra].
#
#   bash infra/scripts/infra.sh          # or: source infra/scripts/infra.sh
#   bash infra/scripts/infra.sh chromium # only: Chromium for the console's browser tests
#   bash infra/scripts/infra.sh --platform
#
# --platform (npm start uses it): when the NATS server at NATS_URL admits anyone (no
# authentication, as Debian's and the one started here do), also run Simpul's own
# authenticating nats-server on SIMPUL_NATS_LISTEN (default 127.0.0.1:4223): every
# process connects as its own NKey user with only its own permissions, and token
# signing keys are pinned by a root key (packages/bus/src/cli/platform-credentials.ts
# makes the seeds, the authorization file and the root key, once, in
# $SIMPUL_STATE_DIR/nats/platform). The settings the processes need are written to
# $SIMPUL_STATE_DIR/nats/platform/active.env for start.sh. SIMPUL_NATS_AUTH=false skips it.
#
# Environment:
#   DATABASE_URL      default postgresql://postgres@127.0.0.1:5432 (host and port used)
#   NATS_URL          default nats://127.0.0.1:4222 (host and port of the first server)
#   SIMPUL_STATE_DIR  default $HOME/.simpul; a NATS server started here keeps its
#                     JetStream store, log and pid file in $SIMPUL_STATE_DIR/nats
# Servers are only started or installed when the host is this machine.
#
# To stop a NATS server that this script started:
#   kill "$(cat "${SIMPUL_STATE_DIR:-$HOME/.simpul}/nats/nats-server-4222.pid")"
#
# Exit status: 0 when both answer, 1 otherwise (with a message saying what to do).
# When sourced, it runs in a subshell: it returns that status and leaves the
# calling shell's options alone.

_infra_main() {
  set -euo pipefail
  local here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  # shellcheck source=infra/scripts/lib.sh
  source "$here/lib.sh"

  _INFRA_APT_UPDATED=0
  if [[ ${1:-} == chromium ]]; then
    _infra_chromium
    return 0
  fi
  _infra_postgres
  _infra_nats
  if [[ ${1:-} == --platform ]]; then
    _infra_nats_platform
  fi
  _infra_log "ready: PostgreSQL at $_INFRA_PG, NATS at $_INFRA_NATS"
}

_infra_log() { simpul_log infra "$@"; }
_infra_die() { simpul_die infra "$@"; }

# Runs a command with "[infra]   " before each line of its output.
_infra_run() {
  "$@" 2>&1 | sed -u 's/^/[infra]   /'
}

_infra_check_port() {
  if [[ ! $1 =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > 65535)); then
    _infra_die "$2 has an invalid port: '$1'"
  fi
}

_infra_can_install() {
  [[ -f /etc/debian_version ]] && command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]
}

_infra_apt_install() {
  local pkg=$1
  if [[ $_INFRA_APT_UPDATED -eq 0 ]]; then
    _infra_log "running apt-get update"
    _infra_run env DEBIAN_FRONTEND=noninteractive apt-get update ||
      _infra_die "apt-get update failed (see above)"
    _INFRA_APT_UPDATED=1
  fi
  _infra_log "running apt-get install -y $pkg"
  _infra_run env DEBIAN_FRONTEND=noninteractive apt-get install -y "$pkg" ||
    _infra_die "apt-get install -y $pkg failed (see above)"
}

# ---------------------------------------------------------------- Chromium

# The console's browser tests (e2e/test/console.e2e.test.ts) drive Debian's Chromium
# with playwright-core: playwright's own browser downloads cannot be reached from the
# closed networks this platform runs on, a Debian package can.
_infra_chromium() {
  local bin
  bin=$(command -v chromium 2>/dev/null || true)
  if [[ -n $bin ]]; then
    _infra_log "Chromium: $bin is installed ($("$bin" --version 2>/dev/null || echo 'version unknown')); nothing installed"
    return 0
  fi
  if ! _infra_can_install; then
    _infra_die "Chromium is not installed, and this is not Debian as root; install it (Debian/Ubuntu: sudo apt-get install -y chromium)"
  fi
  _infra_log "Chromium: not installed; installing the Debian package (for the console's browser tests)"
  _infra_apt_install chromium
  bin=$(command -v chromium 2>/dev/null || true)
  [[ -n $bin ]] || _infra_die "apt-get installed chromium, but no chromium binary was found"
  _infra_log "Chromium: installed $bin ($("$bin" --version 2>/dev/null || echo 'version unknown'))"
}

# ---------------------------------------------------------------- PostgreSQL

_infra_pg_ready() {
  local host=$1 port=$2
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$host" -p "$port" -t 2 >/dev/null 2>&1
  else
    simpul_tcp_open "$host" "$port"
  fi
}

# Prints "version cluster port status" for each Debian cluster (pg_lsclusters).
_infra_pg_clusters() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  pg_lsclusters -h 2>/dev/null | awk '{ print $1, $2, $3, $4 }'
}

# Sets _INFRA_PG_VER and _INFRA_PG_CLUSTER: the cluster configured for PORT,
# else the newest version's "main" cluster. Returns 1 when there is none.
_infra_pg_pick_cluster() {
  local port=$1 ver cluster cport _ newest
  _INFRA_PG_VER="" _INFRA_PG_CLUSTER=""
  while read -r ver cluster cport _; do
    if [[ $cport == "$port" ]]; then
      _INFRA_PG_VER=$ver _INFRA_PG_CLUSTER=$cluster
      return 0
    fi
  done < <(_infra_pg_clusters)
  [[ -d /etc/postgresql ]] || return 1
  newest=$(find /etc/postgresql -mindepth 2 -maxdepth 2 -name main -type d -printf '%P\n' 2>/dev/null |
    sed 's|/main$||' | sort -V | tail -n 1)
  [[ -n $newest ]] || return 1
  _INFRA_PG_VER=$newest _INFRA_PG_CLUSTER=main
}

_infra_pg_cluster_port() {
  local want_ver=$1 want_cluster=$2 ver cluster cport _
  while read -r ver cluster cport _; do
    if [[ $ver == "$want_ver" && $cluster == "$want_cluster" ]]; then
      printf '%s\n' "$cport"
      return 0
    fi
  done < <(_infra_pg_clusters)
}

_infra_pg_start() {
  local host=$1 port=$2 ver=$_INFRA_PG_VER cluster=$_INFRA_PG_CLUSTER cport i
  cport=$(_infra_pg_cluster_port "$ver" "$cluster")
  if [[ -n $cport && $cport != "$port" ]]; then
    _infra_die "PostgreSQL cluster $ver/$cluster is configured for port $cport, but DATABASE_URL says port $port; fix DATABASE_URL or the cluster's port in /etc/postgresql/$ver/$cluster/postgresql.conf"
  fi
  _infra_log "PostgreSQL: starting cluster $ver/$cluster (pg_ctlcluster --skip-systemctl-redirect $ver $cluster start)"
  local out rc=0
  out=$(pg_ctlcluster --skip-systemctl-redirect "$ver" "$cluster" start 2>&1) || rc=$?
  [[ -n $out ]] && printf '%s\n' "$out" | sed 's/^/[infra]   /'
  if [[ $rc -ne 0 ]]; then
    if [[ $out == *"already running"* ]]; then
      _infra_log "PostgreSQL: cluster $ver/$cluster was already running; waiting for it to accept connections"
    elif [[ $(id -u) -ne 0 ]]; then
      _infra_die "could not start PostgreSQL cluster $ver/$cluster (exit $rc); run this script as root, or run: sudo pg_ctlcluster --skip-systemctl-redirect $ver $cluster start"
    else
      _infra_die "could not start PostgreSQL cluster $ver/$cluster (exit $rc); see /var/log/postgresql/postgresql-$ver-$cluster.log"
    fi
  fi
  for ((i = 0; i < 30; i++)); do
    if _infra_pg_ready "$host" "$port"; then
      _infra_log "PostgreSQL: cluster $ver/$cluster accepts connections on $host:$port (after ${i}s)"
      return 0
    fi
    sleep 1
  done
  _infra_die "PostgreSQL cluster $ver/$cluster did not accept connections on $host:$port within 30 s; see /var/log/postgresql/postgresql-$ver-$cluster.log"
}

# Checks that DATABASE_URL's user can log in. On a local Debian cluster, as root,
# when the URL has no password and login fails for lack of one, it puts "trust"
# lines for 127.0.0.1 and ::1 at the top of pg_hba.conf and reloads.
_infra_pg_check_login() {
  local host=$1 port=$2 user=$3 pass=$4 out rc=0 hba
  if ! command -v psql >/dev/null 2>&1; then
    _infra_log "PostgreSQL: psql is not installed; not checking that $user can log in"
    return 0
  fi
  _infra_pg_try_login() {
    out=$(PGPASSWORD="$pass" PGCONNECT_TIMEOUT=5 psql -w -X -q -tA \
      -h "$host" -p "$port" -U "$user" -d postgres -c 'select 1' 2>&1) || rc=$?
  }
  _infra_pg_try_login
  if [[ $rc -eq 0 ]]; then
    _infra_log "PostgreSQL: login as $user on $host:$port works"
    return 0
  fi
  case $out in
    *"password authentication failed"* | *"no password supplied"* | *"authentication failed"* | *"no pg_hba.conf entry"*) ;;
    *) _infra_die "PostgreSQL on $host:$port answers, but login as $user failed: $out" ;;
  esac
  if [[ -n $pass ]]; then
    _infra_die "PostgreSQL on $host:$port refused the password in DATABASE_URL for $user: $out"
  fi
  if ! simpul_is_local "$host" || [[ $(id -u) -ne 0 ]] || ! _infra_pg_pick_cluster "$port"; then
    _infra_die "PostgreSQL on $host:$port wants a password for $user ($out). Put a password in DATABASE_URL, or allow local logins: add 'host all all 127.0.0.1/32 trust' and 'host all all ::1/128 trust' at the top of pg_hba.conf and reload PostgreSQL"
  fi
  hba=/etc/postgresql/$_INFRA_PG_VER/$_INFRA_PG_CLUSTER/pg_hba.conf
  [[ -f $hba ]] || _infra_die "login as $user failed ($out) and $hba does not exist"
  local marker="# Simpul (infra/scripts/infra.sh): local TCP logins without a password, for development"
  if grep -qF "$marker" "$hba"; then
    _infra_die "login as $user on $host:$port fails ($out) although $hba already has Simpul's trust lines; check that file"
  fi
  _infra_log "PostgreSQL: login as $user needs a password ($out)"
  _infra_log "PostgreSQL: adding 'host all all 127.0.0.1/32 trust' and 'host all all ::1/128 trust' at the top of $hba (old file kept as $hba.simpul-backup)"
  cp -p "$hba" "$hba.simpul-backup"
  local tmp
  tmp=$(mktemp)
  {
    printf '%s\n' "$marker" \
      "host    all             all             127.0.0.1/32            trust" \
      "host    all             all             ::1/128                 trust" ""
    cat "$hba"
  } >"$tmp"
  cat "$tmp" >"$hba" # keeps the file's owner and mode
  rm -f "$tmp"
  _infra_log "PostgreSQL: reloading cluster $_INFRA_PG_VER/$_INFRA_PG_CLUSTER to apply pg_hba.conf"
  _infra_run pg_ctlcluster --skip-systemctl-redirect "$_INFRA_PG_VER" "$_INFRA_PG_CLUSTER" reload ||
    _infra_die "reloading PostgreSQL $_INFRA_PG_VER/$_INFRA_PG_CLUSTER failed"
  sleep 1
  rc=0
  _infra_pg_try_login
  [[ $rc -eq 0 ]] || _infra_die "login as $user on $host:$port still fails after the pg_hba.conf change: $out"
  _infra_log "PostgreSQL: login as $user on $host:$port works now"
}

_infra_pg_has_server() {
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

_infra_postgres() {
  simpul_url_parse "${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432}" 5432
  local host=$URL_HOST port=$URL_PORT user=${URL_USER:-postgres} pass=""
  [[ -n $URL_PASS ]] && pass=$(simpul_url_decode "$URL_PASS")
  user=$(simpul_url_decode "$user")
  _INFRA_PG="$host:$port"
  _infra_check_port "$port" DATABASE_URL

  if _infra_pg_ready "$host" "$port"; then
    _infra_log "PostgreSQL: $host:$port accepts connections; using it (nothing started)"
    _infra_pg_check_login "$host" "$port" "$user" "$pass"
    return 0
  fi
  if ! simpul_is_local "$host"; then
    _infra_die "PostgreSQL at $host:$port (from DATABASE_URL) does not answer, and that host is not this machine, so there is nothing to start here; start it there or fix DATABASE_URL"
  fi
  _infra_log "PostgreSQL: nothing answers on $host:$port"

  if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! _infra_pg_has_server; then
    if ! _infra_can_install; then
      _infra_die "PostgreSQL is not running on $host:$port and not installed. Install PostgreSQL 15 or newer (Debian/Ubuntu: sudo apt-get install -y postgresql) and start it, or point DATABASE_URL at a running server"
    fi
    _infra_log "PostgreSQL: not installed; installing it (Debian, running as root)"
    _infra_apt_install postgresql
  else
    _infra_log "PostgreSQL: installed but not running"
  fi

  if ! _infra_pg_pick_cluster "$port"; then
    local ver
    ver=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
    [[ -n $ver ]] || _infra_die "PostgreSQL server files not found under /usr/lib/postgresql"
    [[ $(id -u) -eq 0 ]] || _infra_die "PostgreSQL $ver has no cluster; as root run: pg_createcluster $ver main --port $port"
    _infra_log "PostgreSQL: no cluster exists; creating $ver/main on port $port (pg_createcluster $ver main --port $port)"
    _infra_run pg_createcluster "$ver" main --port "$port" || _infra_die "pg_createcluster $ver main failed"
    _INFRA_PG_VER=$ver _INFRA_PG_CLUSTER=main
  fi
  _infra_pg_start "$host" "$port"
  _infra_pg_check_login "$host" "$port" "$user" "$pass"
}

# ---------------------------------------------------------------- NATS

# Prints the first line the server sends (INFO {...}), or nothing.
_infra_nats_info() {
  local host=$1 port=$2
  # shellcheck disable=SC2016 # $0/$1 are expanded by the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1" && IFS= read -r -t 1 line <&3 && printf "%s\n" "$line"' \
    "$host" "$port" 2>/dev/null || true
}

_infra_nats_describe() {
  local info=$1 version="" js="JetStream state unknown" payload=""
  if [[ $info =~ \"version\":\"([^\"]+)\" ]]; then version="nats-server ${BASH_REMATCH[1]}, "; fi
  if [[ $info =~ \"max_payload\":([0-9]+) ]]; then payload=", max_payload $((BASH_REMATCH[1] / 1024)) KiB"; fi
  if [[ $info == *'"jetstream":true'* ]]; then
    js="JetStream on"
  elif [[ $info == INFO* ]]; then
    js="JetStream OFF"
  fi
  printf '%s%s%s' "$version" "$js" "$payload"
}

_infra_nats_pid_alive() {
  local pidfile=$1 pid
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ ! -r /proc/$pid/comm ]] || [[ $(</proc/"$pid"/comm) == nats-server* ]]
}

# The fault tests start nats-servers of their own (packages/testing startNatsServer),
# so the binary must exist even when a server already answers on NATS_URL.
_infra_nats_binary() {
  if command -v nats-server >/dev/null 2>&1 || [[ -x /usr/sbin/nats-server ]]; then
    _infra_log "NATS: nats-server binary: $(command -v nats-server 2>/dev/null || echo /usr/sbin/nats-server)"
    return 0
  fi
  if ! _infra_can_install; then
    _infra_log "NATS: warning: no nats-server binary on this machine; the fault tests need one (Debian/Ubuntu: sudo apt-get install -y nats-server, or set NATS_SERVER_BIN)"
    return 0
  fi
  _infra_log "NATS: the fault tests start servers of their own; installing the nats-server binary (Debian, running as root)"
  _infra_apt_install nats-server
  # The Debian package may start a service of its own on 4222; that is the default NATS_URL anyway.
}

_infra_nats() {
  simpul_url_parse "${NATS_URL:-nats://127.0.0.1:4222}" 4222
  local host=$URL_HOST port=$URL_PORT info
  _INFRA_NATS="$host:$port"
  _infra_check_port "$port" NATS_URL

  if simpul_tcp_open "$host" "$port"; then
    info=$(_infra_nats_info "$host" "$port")
    _infra_log "NATS: $host:$port accepts connections ($(_infra_nats_describe "$info")); using it (nothing started)"
    if [[ $info == INFO* && $info != *'"jetstream":true'* ]]; then
      _infra_log "NATS: warning: that server reports no JetStream; Simpul needs it (nats-server -js); the services will say so when they start"
    fi
    _infra_nats_binary
    return 0
  fi
  if ! simpul_is_local "$host"; then
    _infra_die "NATS at $host:$port (from NATS_URL) does not answer, and that host is not this machine, so there is nothing to start here; start it there or fix NATS_URL"
  fi
  _infra_log "NATS: nothing answers on $host:$port"

  local bin
  bin=$(command -v nats-server 2>/dev/null || true)
  [[ -z $bin && -x /usr/sbin/nats-server ]] && bin=/usr/sbin/nats-server
  if [[ -z $bin ]]; then
    if ! _infra_can_install; then
      _infra_die "NATS is not running on $host:$port and nats-server is not installed. Install nats-server 2.9 or newer (Debian/Ubuntu: sudo apt-get install -y nats-server), or point NATS_URL at a running server with JetStream"
    fi
    _infra_log "NATS: nats-server is not installed; installing it (Debian, running as root)"
    _infra_apt_install nats-server
    bin=$(command -v nats-server 2>/dev/null || true)
    [[ -z $bin && -x /usr/sbin/nats-server ]] && bin=/usr/sbin/nats-server
    [[ -n $bin ]] || _infra_die "apt-get installed nats-server, but no nats-server binary was found"
    # The package may have started a server of its own.
    if simpul_tcp_open "$host" "$port"; then
      info=$(_infra_nats_info "$host" "$port")
      _infra_log "NATS: the package started a server on $host:$port ($(_infra_nats_describe "$info")); using it"
      return 0
    fi
  fi

  local conf="$SIMPUL_ROOT/infra/nats/nats-server.conf"
  local dir="$SIMPUL_STATE_DIR/nats"
  local pidfile="$dir/nats-server-$port.pid" logfile="$dir/nats-server-$port.log"
  local outfile="$dir/nats-server-$port.out" store="$dir/store-$port"
  local bind=$host
  [[ $bind == localhost ]] && bind=127.0.0.1
  [[ -f $conf ]] || _infra_die "missing $conf"
  mkdir -p "$dir" "$store" || _infra_die "cannot create $dir"

  local launcher=""
  if _infra_nats_pid_alive "$pidfile"; then
    _infra_log "NATS: a server started earlier (pid $(<"$pidfile")) is still starting; waiting for it"
  else
    # Monitoring port: 8222 next to 4222, else client port + 4000; skip busy ones.
    local mport=8222
    [[ $port == 4222 ]] || mport=$((port + 4000))
    local tries=0
    while simpul_tcp_open 127.0.0.1 "$mport" && ((tries < 20)); do
      mport=$((mport + 1)) tries=$((tries + 1))
    done
    ((mport <= 65535)) || _infra_die "no free monitoring port found for NATS (tried from $((mport - tries)))"
    _infra_log "NATS: starting $bin on $bind:$port with JetStream (config $conf, store $store, monitoring 127.0.0.1:$mport, log $logfile)"
    local -a cmd=("$bin" -c "$conf" -a "$bind" -p "$port" -m "$mport" -sd "$store" -l "$logfile" -P "$pidfile")
    # setsid: its own session, so Ctrl-C in this terminal (e.g. stopping npm start)
    # does not stop it; nohup: it outlives the terminal.
    if command -v setsid >/dev/null 2>&1; then
      nohup setsid "${cmd[@]}" </dev/null >>"$outfile" 2>&1 &
    else
      nohup "${cmd[@]}" </dev/null >>"$outfile" 2>&1 &
    fi
    launcher=$!
  fi

  local i
  for ((i = 0; i < 30; i++)); do # 30 x 0.5 s = 15 s
    if simpul_tcp_open "$host" "$port"; then
      info=$(_infra_nats_info "$host" "$port")
      _infra_log "NATS: started; pid $(cat "$pidfile" 2>/dev/null || echo '?') accepts connections on $host:$port ($(_infra_nats_describe "$info"))"
      _infra_log "NATS: stop it with: kill \$(cat $pidfile)"
      return 0
    fi
    if ((i >= 4)) && ! _infra_nats_pid_alive "$pidfile" &&
      { [[ -z $launcher ]] || ! kill -0 "$launcher" 2>/dev/null; }; then
      break
    fi
    sleep 0.5
  done
  _infra_log "NATS: the server did not come up on $host:$port; last lines of its output:"
  local f
  for f in "$outfile" "$logfile"; do
    [[ -s $f ]] || continue
    _infra_log "  $f:"
    tail -n 15 "$f" | sed 's/^/[infra]     /' || true
  done
  _infra_die "could not start nats-server on $host:$port (see $logfile and $outfile)"
}

# ---------------------------------------------------------------- Simpul's own NATS (--platform)

_infra_nats_platform() {
  local dir="$SIMPUL_STATE_DIR/nats/platform" active
  active="$dir/active.env"
  rm -f "$active"
  if [[ ${SIMPUL_NATS_AUTH:-true} == false ]]; then
    _infra_log "NATS: SIMPUL_NATS_AUTH=false: the processes use $_INFRA_NATS as it is (no per-process users, keys unpinned)"
    return 0
  fi
  simpul_url_parse "${NATS_URL:-nats://127.0.0.1:4222}" 4222
  local info
  info=$(_infra_nats_info "$URL_HOST" "$URL_PORT")
  if [[ $info == *'"auth_required":true'* ]]; then
    _infra_log "NATS: $_INFRA_NATS requires authentication; using it as configured (give each process NATS_NKEY_SEED_FILE, see infra/nats/README.md)"
    return 0
  fi
  local listen=${SIMPUL_NATS_LISTEN:-127.0.0.1:4223}
  local host=${listen%:*} port=${listen##*:}
  _infra_check_port "$port" SIMPUL_NATS_LISTEN
  _infra_log "NATS: $_INFRA_NATS admits anyone; running Simpul's own authenticating server on $host:$port (SIMPUL_NATS_LISTEN; SIMPUL_NATS_AUTH=false to skip)"
  mkdir -p "$dir/store" || _infra_die "cannot create $dir"
  local settings
  settings=$(cd "$SIMPUL_ROOT" && node --import tsx packages/bus/src/cli/platform-credentials.ts "$dir") ||
    _infra_die "could not create the platform's NATS credentials in $dir (see above)"
  _infra_log "NATS: credentials in $dir (one NKey seed per process in keys/, authorization.conf, token-root-key.pem)"
  # The store is set in the file (not -sd), so a reload (identity's SIGHUP after an API
  # client change) keeps JetStream on.
  cat >"$dir/server.conf" <<CONF
# Written by infra/scripts/infra.sh --platform: Simpul's own nats-server, every client authenticated.
max_payload: 8MB
jetstream { store_dir: "$dir/store" }
include ./authorization.conf
CONF
  local pidfile="$dir/nats-server.pid" logfile="$dir/nats-server.log" outfile="$dir/nats-server.out"
  if simpul_tcp_open "$host" "$port"; then
    info=$(_infra_nats_info "$host" "$port")
    [[ $info == *'"auth_required":true'* ]] ||
      _infra_die "something on $host:$port admits anyone, so it is not Simpul's authenticating server; stop it or set SIMPUL_NATS_LISTEN"
    _infra_log "NATS: an authenticating server already answers on $host:$port ($(_infra_nats_describe "$info")); using it"
  else
    local bin
    bin=$(command -v nats-server 2>/dev/null || true)
    [[ -z $bin && -x /usr/sbin/nats-server ]] && bin=/usr/sbin/nats-server
    [[ -n $bin ]] || _infra_die "no nats-server binary for Simpul's own server (Debian/Ubuntu: sudo apt-get install -y nats-server)"
    local mport=$((port + 4000)) tries=0
    while simpul_tcp_open 127.0.0.1 "$mport" && ((tries < 20)); do mport=$((mport + 1)) tries=$((tries + 1)); done
    _infra_log "NATS: starting $bin -c $dir/server.conf on $host:$port (monitoring 127.0.0.1:$mport, log $logfile)"
    local -a cmd=("$bin" -c "$dir/server.conf" -a "$host" -p "$port" -m "$mport" -l "$logfile" -P "$pidfile")
    if command -v setsid >/dev/null 2>&1; then
      nohup setsid "${cmd[@]}" </dev/null >>"$outfile" 2>&1 &
    else
      nohup "${cmd[@]}" </dev/null >>"$outfile" 2>&1 &
    fi
    local i
    for ((i = 0; i < 30; i++)); do
      simpul_tcp_open "$host" "$port" && [[ -s $pidfile ]] && break
      sleep 0.5
    done
    if ! simpul_tcp_open "$host" "$port"; then
      tail -n 15 "$outfile" "$logfile" 2>/dev/null | sed 's/^/[infra]     /' || true
      _infra_die "could not start Simpul's nats-server on $host:$port (see $logfile)"
    fi
    _infra_log "NATS: started; pid $(cat "$pidfile") on $host:$port; stop it with: kill \$(cat $pidfile)"
  fi
  {
    printf '# Written by infra/scripts/infra.sh --platform; start.sh reads it.\n'
    printf 'SIMPUL_PLATFORM_NATS_URL=%q\n' "nats://$host:$port"
    printf 'NATS_SERVER_PID_FILE=%q\n' "$pidfile"
    printf '%s\n' "$settings"
  } >"$active"
  _INFRA_NATS="$host:$port (Simpul's own, authenticated; $_INFRA_NATS stays as it is)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  _infra_main "$@"
else
  (_infra_main "$@")
  return $?
fi
