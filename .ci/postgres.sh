# A throwaway PostgreSQL for the tests (docs/postgres.md, "Tests"). Sourced by .ci/run:
#   . .ci/postgres.sh
# It installs PostgreSQL if the machine has none, makes a cluster in a temporary folder
# as the unprivileged `postgres` user, starts it on a free loopback port with trust
# authentication for 127.0.0.1 only (no Unix socket, no other address), and exports
#   DESK_TEST_DATABASE_URL  the cluster's admin database; each test makes its own
#                           database there (CREATE DATABASE) and drops it afterwards
#   DESK_TEST_PG_BIN        the folder of initdb and pg_ctl, for the one test that
#                           stops and starts a cluster of its own
# The cluster is stopped and removed when the shell that sourced this exits.

desk_pg_bin() {
  { ls -d /usr/lib/postgresql/*/bin 2>/dev/null || true; } | sort -V | tail -n 1
}

if [ -z "$(desk_pg_bin)" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
    || echo "warning: could not install postgresql"
fi
DESK_TEST_PG_BIN="$(desk_pg_bin)"
if [ -z "$DESK_TEST_PG_BIN" ]; then
  echo "error: no PostgreSQL under /usr/lib/postgresql; the PostgreSQL tests cannot run" >&2
  return 1 2>/dev/null || exit 1
fi
export DESK_TEST_PG_BIN

# PostgreSQL refuses to run as root: the cluster belongs to `postgres`.
if ! id postgres >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin postgres
fi
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

DESK_PG_DIR="$(mktemp -d /tmp/desk-pg.XXXXXX)"
chmod 755 "$DESK_PG_DIR"
[ "$(id -u)" = 0 ] && chown postgres: "$DESK_PG_DIR"
as_postgres "$DESK_TEST_PG_BIN/initdb" -D "$DESK_PG_DIR/data" -U desk -E UTF8 --locale=C.UTF-8 \
  --auth=trust >"$DESK_PG_DIR/initdb.log" 2>&1 \
  || { cat "$DESK_PG_DIR/initdb.log" >&2; return 1 2>/dev/null || exit 1; }
# Only TCP on 127.0.0.1, trusted; nothing else may connect.
echo "host all all 127.0.0.1/32 trust" | as_postgres tee "$DESK_PG_DIR/data/pg_hba.conf" >/dev/null

# A free port: the first of a few random ones that nothing listens on.
DESK_PG_PORT=""
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then DESK_PG_PORT=$p; break; fi
done
[ -n "$DESK_PG_PORT" ] || { echo "error: no free port for PostgreSQL" >&2; return 1 2>/dev/null || exit 1; }

# A test cluster: durability is not what is tested here, speed of CREATE DATABASE is.
cat <<EOF | as_postgres tee -a "$DESK_PG_DIR/data/postgresql.conf" >/dev/null
listen_addresses = '127.0.0.1'
port = $DESK_PG_PORT
unix_socket_directories = ''
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
max_wal_size = 96MB
min_wal_size = 32MB
EOF
as_postgres "$DESK_TEST_PG_BIN/pg_ctl" -D "$DESK_PG_DIR/data" -l "$DESK_PG_DIR/server.log" -w -t 60 start >/dev/null \
  || { cat "$DESK_PG_DIR/server.log" >&2; return 1 2>/dev/null || exit 1; }

desk_pg_stop() {
  as_postgres "$DESK_TEST_PG_BIN/pg_ctl" -D "$DESK_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DESK_PG_DIR"
}
trap desk_pg_stop EXIT

export DESK_TEST_DATABASE_URL="postgres://desk@127.0.0.1:$DESK_PG_PORT/postgres"
echo "PostgreSQL $("$DESK_TEST_PG_BIN/postgres" --version | awk '{print $3}') for the tests at $DESK_TEST_DATABASE_URL"
