#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `postgres.sh start DIR` initialises a cluster in DIR (as the
# postgres user, since PostgreSQL refuses to run as root), listens on 127.0.0.1 only on a free port with its socket
# in DIR too, and writes DIR/postgres.env with NOTIFIER_TEST_POSTGRES (an Npgsql connection string to the
# maintenance database; the tests create a database per test class). `postgres.sh stop DIR` stops it.
# Installs Debian's postgresql where no server binaries are found.
set -euo pipefail
cmd=${1:?usage: postgres.sh start|stop DIR}
dir=${2:?usage: postgres.sh start|stop DIR}

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

as_owner() {
  # The cluster belongs to the postgres user when we are root, to us otherwise.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    if ! bin=$(find_bin); then
      echo "== installing postgresql for the PostgreSQL tests"
      DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >/dev/null
      bin=$(find_bin)
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    # Byte-order collation (as SQLite's BINARY), UTF-8, trust for the local test user only.
    as_owner "$bin/initdb" -D "$dir/data" -U notifier --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    echo "export NOTIFIER_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=notifier;Database=postgres'" >"$dir/postgres.env"
    echo "$bin" >"$dir/bin"
    echo "PostgreSQL on 127.0.0.1:$port (data in $dir/data)"
    ;;
  stop)
    [ -f "$dir/bin" ] || exit 0
    as_owner "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
