#!/usr/bin/env bash
# Both stores side by side (BENCHMARKS.md, "SQLite and PostgreSQL"): the same demo desk
# on SQLite and in a PostgreSQL database, each behind `desk serve` on loopback, loaded
# with wrk in the same run: a queue page at 64 connections, a search page at 16, creates
# at 16, a mixed load (90% queue pages, 10% creates) at 64; on PostgreSQL also two servers on the one database, loaded at once. Then
# `desk store copy` of the SQLite desk into an empty database. Needs wrk, a release build
# and a PostgreSQL server whose admin URL is DESK_TEST_DATABASE_URL (. .ci/postgres.sh):
#   DESK=path/to/desk TICKETS=10000 DURATION=10s benches/stores.sh
set -euo pipefail

DESK=${DESK:-target/release/desk}
TICKETS=${TICKETS:-10000}
DURATION=${DURATION:-10s}
ADMIN=${DESK_TEST_DATABASE_URL:?set DESK_TEST_DATABASE_URL (. .ci/postgres.sh)}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/desk-stores.XXXXXX)
BASE=${ADMIN%/*}
DB="desk_bench_$$"
COPY="desk_bench_copy_$$"
PIDS=()

psql_admin() {
  "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql" "$ADMIN" -qAtc "$1"
}
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  psql_admin "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  psql_admin "DROP DATABASE IF EXISTS $COPY WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT
psql_admin "CREATE DATABASE $DB"
psql_admin "CREATE DATABASE $COPY"
SQLITE=(--data "$WORK/sqlite")
PG=(--database-url "$BASE/$DB")

echo "== desk init --demo --tickets $TICKETS"
for store in SQLITE PG; do
  declare -n args=$store
  /usr/bin/time -f "$store: %e s, %M KiB max RSS" "$DESK" "${args[@]}" init --demo --tickets "$TICKETS" >/dev/null
done

. "$HERE/serve_lib.sh"

load() { # label url token connections path [script]
  local label=$1 url=$2 token=$3 c=$4 path=$5 script=${6:-}
  if [ -n "$script" ]; then # warm-up
    NUMBERS_FILE=/dev/null wrk -t2 -c"$c" -d5s -s "$script" "$url$path" >/dev/null
  else
    wrk -t2 -c"$c" -d5s -H "Authorization: Bearer $token" "$url$path" >/dev/null
  fi
  printf "%-44s" "$label"
  if [ -n "$script" ]; then
    NUMBERS_FILE="$WORK/numbers.$RANDOM" wrk -t2 -c"$c" -d"$DURATION" --latency -s "$script" "$url$path" | summary
  else
    wrk -t2 -c"$c" -d"$DURATION" --latency -H "Authorization: Bearer $token" "$url$path" | summary
  fi
}

LIST="/api/v1/tickets?queue=Level%201&open=true&limit=50"
SEARCH="/api/v1/tickets?search=printer&limit=100"
for store in SQLITE PG; do
  declare -n args=$store
  TOKEN=$("$DESK" "${args[@]}" token create anna)
  export TOKEN
  URL=$(serve "${args[@]}")
  echo "== $store, one server"
  load "$store list (64 connections)" "$URL" "$TOKEN" 64 "$LIST"
  load "$store search printer (16 connections)" "$URL" "$TOKEN" 16 "$SEARCH"
  load "$store create (16 connections)" "$URL" "$TOKEN" 16 "/api/v1/tickets" "$HERE/create.lua"
  load "$store mixed 90% list / 10% create (64)" "$URL" "$TOKEN" 64 "/" "$HERE/mixed.lua"
done

echo "== PG, two servers on one database, loaded at once (each line: one server)"
TOKEN=$("$DESK" "${PG[@]}" token create anna)
export TOKEN
A=$(serve "${PG[@]}")
B=$(serve "${PG[@]}")
load "PG list, server A of two (32 connections)" "$A" "$TOKEN" 32 "$LIST" >"$WORK/a.txt" &
load "PG list, server B of two (32 connections)" "$B" "$TOKEN" 32 "$LIST" >"$WORK/b.txt"
wait %1 2>/dev/null || true
cat "$WORK/a.txt" "$WORK/b.txt"
PSQL="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql"
echo "numbers given twice in the PostgreSQL desk: $("$PSQL" "$BASE/$DB" -qAtc "SELECT count(*) - count(DISTINCT (side, number)) FROM tickets")"

echo "== desk store copy of the SQLite desk into an empty database"
/usr/bin/time -f "%e s, %M KiB max RSS" "$DESK" "${SQLITE[@]}" store copy --to "$BASE/$COPY"
