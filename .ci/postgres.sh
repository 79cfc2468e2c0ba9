#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's packages.
#
#   eval "$(bash .ci/postgres.sh start)"     # prints the exports: CLASSBOT_TEST_DATABASE_URL, CLASSBOT_PG_DIR
#   PYTHONPATH=$PWD pytest tests/test_postgres_infra.py
#   bash .ci/postgres.sh stop                # stops the server and removes its folder (CLASSBOT_PG_DIR)
#
# start: installs Debian's `postgresql` package when no PostgreSQL binaries are found (as root only,
# non-interactively), initialises a cluster in a new temporary folder, and runs it as an unprivileged
# user (`postgres` when run as root, otherwise you) on 127.0.0.1 at a free port, its socket in that
# folder. Tuned for tests, not for data you keep (fsync off). Everything but the exports goes to stderr.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$dir" && -x "$dir/initdb" ]]; then echo "$dir"; fi
}

install_postgres() {
  if [[ $(id -u) -ne 0 ]]; then
    log "PostgreSQL is not installed and installing it needs root: sudo apt-get install -y postgresql"
    exit 1
  fi
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # the package's own cluster is not needed: policy-rc.d would stop services from starting; we
  # only want the binaries, and run our own cluster below
  apt-get install -y -qq --no-install-recommends postgresql >&2
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

as_owner() {  # run a command as the unprivileged owner of the cluster
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$PG_OWNER" -- "$@"
  else
    "$@"
  fi
}

start() {
  local bindir port dir
  bindir=$(pg_bindir)
  if [[ -z "$bindir" ]]; then
    install_postgres
    bindir=$(pg_bindir)
    [[ -n "$bindir" ]] || { log "no initdb under /usr/lib/postgresql/*/bin after installing"; exit 1; }
  fi
  if [[ $(id -u) -eq 0 ]]; then
    PG_OWNER=postgres
    id "$PG_OWNER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OWNER"
  else
    PG_OWNER=$(id -un)
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/classbot-pg.XXXXXX")
  chown "$PG_OWNER" "$dir"
  chmod 700 "$dir"
  as_owner "$bindir/initdb" -D "$dir/data" --username=classbot --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  port=$(free_port)
  # listens on 127.0.0.1 only, trust auth (initdb --auth=trust): a test server, never exposed
  if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >&2; then
    cat "$dir/server.log" >&2
    rm -rf "$dir"
    exit 1
  fi
  echo "$bindir" >"$dir/bindir"
  echo "$PG_OWNER" >"$dir/owner"
  log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port as $PG_OWNER (folder $dir)"
  echo "export CLASSBOT_TEST_DATABASE_URL=postgresql://classbot@127.0.0.1:$port/postgres"
  echo "export CLASSBOT_PG_DIR=$dir"
}

stop() {
  local dir=${1:-${CLASSBOT_PG_DIR:-}}
  if [[ -z "$dir" || ! -d "$dir" ]]; then
    log "nothing to stop (give the folder, or set CLASSBOT_PG_DIR)"
    return 0
  fi
  [[ -f "$dir/bindir" && -f "$dir/owner" ]] || { log "$dir is not a folder this script made"; exit 1; }
  PG_OWNER=$(cat "$dir/owner")
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$(cat "$dir/bindir")/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2 || log "pg_ctl stop failed"
  fi
  rm -rf "$dir"
  log "stopped and removed $dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop [folder]" >&2; exit 2 ;;
esac
