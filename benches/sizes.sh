#!/usr/bin/env bash
# Both stores at one desk size, side by side in the same run (BENCHMARKS.md, "SQLite and
# PostgreSQL at 10k, 100k and 1M"): whole CLI commands (hyperfine medians) and HTTP
# requests over one connection (wrk p50/p99) for a queue page, a search page and a
# create; then `desk serve` at 64 connections: a queue page on SQLite, on PostgreSQL
# with one server and with two servers on the one database loaded at once, and the mixed
# load (90% queue pages, 10% creates).
#
#   . .ci/postgres.sh   # or any server: DESK_TEST_DATABASE_URL is its admin database
#   DESK=target/release/desk benches/sizes.sh 100000
#   DESK=... SQLITE_DIR=/path/to/1m PG_TEMPLATE=desk_1m benches/sizes.sh 1000000
#
# Without SQLITE_DIR the SQLite desk is made (`init --demo --tickets N`); without
# PG_TEMPLATE the PostgreSQL desk is `desk store copy` of it (timed). Given, each run
# works on copies (a file copy; CREATE DATABASE ... TEMPLATE), so creates never grow
# them. PG_IN_PLACE=NAME instead runs on that database itself (its creates stay in it:
# for a disk without room for a copy of a big one).
# Needs hyperfine and wrk.
set -euo pipefail

N=${1:?usage: benches/sizes.sh TICKETS}
DESK=${DESK:-target/release/desk}
DURATION=${DURATION:-10s}
RUNS=${RUNS:-20}
ADMIN=${DESK_TEST_DATABASE_URL:?set DESK_TEST_DATABASE_URL (. .ci/postgres.sh)}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/desk-sizes.XXXXXX)
BASE=${ADMIN%/*}
DB="desk_sizes_$$"
PSQL="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql"
PIDS=()
export DESK_NOW=2026-11-29T10:00:00Z

cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  "$PSQL" "$ADMIN" -qAtc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== $N tickets; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${SQLITE_DIR:-}" ]; then
  mkdir -p "$WORK/sqlite"
  cp "$SQLITE_DIR/desk.sqlite3" "$WORK/sqlite/"
else
  /usr/bin/time -f "SQLite init --demo --tickets $N: %e s, %M KiB max RSS" \
    "$DESK" --data "$WORK/sqlite" init --demo --tickets "$N" >/dev/null
fi
if [ -n "${PG_IN_PLACE:-}" ]; then
  DB=$PG_IN_PLACE
  cleanup() {
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
  }
elif [ -n "${PG_TEMPLATE:-}" ]; then
  "$PSQL" "$ADMIN" -qAtc "CREATE DATABASE $DB TEMPLATE $PG_TEMPLATE"
else
  "$PSQL" "$ADMIN" -qAtc "CREATE DATABASE $DB"
  /usr/bin/time -f "desk store copy of the SQLite desk: %e s, %M KiB max RSS" \
    "$DESK" --data "$WORK/sqlite" store copy --to "$BASE/$DB"
fi
SQLITE=(--data "$WORK/sqlite")
PG=(--database-url "$BASE/$DB")

echo "== CLI, hyperfine medians of $RUNS runs"
for store in SQLITE PG; do
  declare -n args=$store
  d="$DESK ${args[*]}"
  hyperfine --style none --warmup 2 --runs "$RUNS" --export-json "$WORK/$store.json" \
    -n "list" "$d ticket list --queue 'Level 1' --limit 100 --json" \
    -n "search" "$d ticket list --search printer --limit 100 --json" \
    -n "create" "$d ticket create --title Bench --company Contoso --json" >/dev/null
  python3 - "$WORK/$store.json" "$store" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{sys.argv[2]:7} CLI {r['command']:7} median {r['median']*1000:7.1f} ms")
PY
done

. "$HERE/serve_lib.sh"

run() { # label url connections path [script]
  local label=$1 url=$2 c=$3 path=$4 script=${5:-}
  local how=(-H "Authorization: Bearer $TOKEN")
  [ -n "$script" ] && how=(-s "$script")
  local t=2
  [ "$c" -lt 2 ] && t=1
  NUMBERS_FILE=/dev/null wrk -t$t -c"$c" -d3s "${how[@]}" "$url$path" >/dev/null # warm-up
  printf "%-46s" "$label"
  NUMBERS_FILE=/dev/null wrk -t$t -c"$c" -d"$DURATION" --latency "${how[@]}" "$url$path" | summary
}

LIST="/api/v1/tickets?queue=Level%201&open=true&limit=50"
SEARCH="/api/v1/tickets?search=printer&limit=100"
echo "== HTTP (wrk, $DURATION a run after a 3 s warm-up)"
for store in SQLITE PG; do
  declare -n args=$store
  TOKEN=$("$DESK" "${args[@]}" token create anna 2>/dev/null)
  export TOKEN
  URL=$(serve "${args[@]}")
  run "$store list, 1 connection" "$URL" 1 "$LIST"
  run "$store search printer, 1 connection" "$URL" 1 "$SEARCH"
  run "$store create, 1 connection" "$URL" 1 "/api/v1/tickets" "$HERE/create.lua"
  run "$store list, 64 connections" "$URL" 64 "$LIST"
  run "$store mixed 90% list / 10% create, 64" "$URL" 64 "/" "$HERE/mixed.lua"
  [ "$store" = PG ] && PG_URL=$URL
done

echo "== PostgreSQL, two servers on one database, loaded at once (32 connections each)"
B=$(serve "${PG[@]}")
run "PG list, server A of two, 32" "$PG_URL" 32 "$LIST" >"$WORK/a.txt" &
run "PG list, server B of two, 32" "$B" 32 "$LIST" >"$WORK/b.txt"
wait %1 2>/dev/null || true
cat "$WORK/a.txt" "$WORK/b.txt"
run "PG mixed, server A of two, 32" "$PG_URL" 32 "/" "$HERE/mixed.lua" >"$WORK/a.txt" &
run "PG mixed, server B of two, 32" "$B" 32 "/" "$HERE/mixed.lua" >"$WORK/b.txt"
wait %1 2>/dev/null || true
cat "$WORK/a.txt" "$WORK/b.txt"
echo "numbers given twice in the PostgreSQL desk: $("$PSQL" "$BASE/$DB" -qAtc "SELECT count(*) - count(DISTINCT (side, number)) FROM tickets")"
