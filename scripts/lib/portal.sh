# Sourced by scripts/portal and scripts/portal-schemathesis: a throwaway PostgreSQL
# cluster (Debian's initdb and pg_ctl, as the postgres user when run as root), and
# the appdesk-portal server on it. Everything lives in one temp dir, removed by
# portal_cleanup, which the caller traps on EXIT.
#
# After portal_cluster_start: PORTAL_DIR, PORTAL_DATABASE (a libpq URL).
# After portal_serve BIN ADDR: PORTAL_PID, PORTAL_URL, PORTAL_LOG.

pg_bin_dir() {
  local initdb
  if initdb=$(command -v initdb); then
    dirname "$(readlink -f "$initdb")"
    return
  fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 | grep . || {
    echo "PostgreSQL is not installed: run scripts/system-packages --portal (apt-get install postgresql)" >&2
    return 1
  }
}

# Runs a PostgreSQL server program, as the postgres user when we are root.
pg_run() {
  local program=$1
  shift
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$PG_BIN/$program" "$@"
  else
    "$PG_BIN/$program" "$@"
  fi
}

portal_cluster_start() {
  PG_BIN=$(pg_bin_dir)
  PORTAL_DIR=$(mktemp -d "${TMPDIR:-/tmp}/appdesk-portal.XXXXXX")
  [ "$(id -u)" -eq 0 ] && chown postgres: "$PORTAL_DIR"
  pg_run initdb -D "$PORTAL_DIR/data" -A trust -U appdesk -E UTF8 --locale=C \
    --no-sync --no-instructions >"$PORTAL_DIR/initdb.log" 2>&1 || {
    cat "$PORTAL_DIR/initdb.log" >&2
    return 1
  }
  local port tries
  for tries in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if pg_run pg_ctl -D "$PORTAL_DIR/data" -l "$PORTAL_DIR/postgres.log" -w -t 60 \
      -o "-p $port -k $PORTAL_DIR -c listen_addresses=127.0.0.1 ${PORTAL_PG_OPTIONS:-}" \
      start >/dev/null; then
      PG_PORT=$port
      "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U appdesk -d postgres \
        -c 'CREATE DATABASE appdesk'
      PORTAL_DATABASE="postgres://appdesk@127.0.0.1:$PG_PORT/appdesk"
      return 0
    fi
  done
  echo "PostgreSQL did not start; its log:" >&2
  cat "$PORTAL_DIR/postgres.log" >&2
  return 1
}

# portal_serve BIN ADDR: starts the server in the background, its request log in
# PORTAL_LOG and the key that seals its secrets in the throwaway dir (made by
# `key init` on the first start: serve never creates one), and waits
# for its listening line.
portal_serve() {
  local bin=$1 addr=$2 line i
  PORTAL_LOG="$PORTAL_DIR/requests.log"
  [ -e "$PORTAL_DIR/portal.key" ] ||
    "$bin" key init --key-file "$PORTAL_DIR/portal.key" >/dev/null
  "$bin" serve --database "$PORTAL_DATABASE" --listen "$addr" \
    --key-file "$PORTAL_DIR/portal.key" >"$PORTAL_LOG" 2>"$PORTAL_DIR/serve.err" &
  PORTAL_PID=$!
  for i in $(seq 1 600); do
    line=$(grep -m1 '"listening"' "$PORTAL_LOG" 2>/dev/null || true)
    if [ -n "$line" ]; then
      PORTAL_URL="http://$(sed -E 's/.*"addr":"([^"]+)".*/\1/' <<<"$line")"
      return 0
    fi
    kill -0 "$PORTAL_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "appdesk-portal serve did not start:" >&2
  cat "$PORTAL_DIR/serve.err" >&2
  return 1
}

portal_cleanup() {
  if [ -n "${PORTAL_PID:-}" ]; then
    kill "$PORTAL_PID" 2>/dev/null || true
    wait "$PORTAL_PID" 2>/dev/null || true
  fi
  if [ -n "${PORTAL_DIR:-}" ] && [ -d "$PORTAL_DIR" ]; then
    [ -f "$PORTAL_DIR/data/postmaster.pid" ] &&
      pg_run pg_ctl -D "$PORTAL_DIR/data" stop -m fast >/dev/null 2>&1 || true
    rm -rf "$PORTAL_DIR"
  fi
}

# The built binary of appdesk-portal for a cargo profile (debug or release).
portal_binary() {
  echo "${CARGO_TARGET_DIR:-target}/$1/appdesk-portal"
}
