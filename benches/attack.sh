#!/usr/bin/env bash
# The attacks of issue 9 against a real `desk serve` on loopback, one server each, with
# a bystander measured meanwhile (BENCHMARKS.md, "desk serve under attack"). Needs
# python3 and a release build:  CARGO_TARGET_DIR=... cargo build --release
#   DESK=path/to/desk  TICKETS=1000  DIR=/tmp/attack  [IDLE=1000 ADDRESSES=8] benches/attack.sh [feeds|idle|bodies]...
# Every loop is bounded (benches/attack.py); nothing leaves 127.0.0.0/8.
set -euo pipefail

DESK=${DESK:-target/release/desk}
TICKETS=${TICKETS:-1000}
DIR=${DIR:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
ATTACKS=("$@")
[ ${#ATTACKS[@]} -gt 0 ] || ATTACKS=(feeds idle bodies)

if [ ! -f "$DIR/desk.sqlite3" ]; then
  "$DESK" --data "$DIR" init --demo --tickets "$TICKETS" >/dev/null
fi
ATTACKER=$("$DESK" --data "$DIR" token create kim@contoso.example 2>/dev/null)
BYSTANDER=$("$DESK" --data "$DIR" token create anna 2>/dev/null)

for attack in "${ATTACKS[@]}"; do
  "$DESK" --data "$DIR" serve --listen 127.0.0.1:0 >"$DIR/serve.out" 2>"$DIR/serve.err" &
  PID=$!
  trap 'kill -TERM $PID 2>/dev/null || true' EXIT
  for _ in $(seq 100); do grep -q listening "$DIR/serve.out" && break; sleep 0.1; done
  URL=$(sed -n 's/.*listening on //p' "$DIR/serve.out")
  echo "== $attack against $URL ($("$DESK" --version 2>/dev/null || echo desk))"
  case $attack in
    # Contoso's basic contact: a valid token, as little right as there is.
    feeds) python3 "$HERE/attack.py" "$URL" "$ATTACKER" "$BYSTANDER" feeds --count 1030 ;;
    idle) python3 "$HERE/attack.py" "$URL" - "$BYSTANDER" idle --count "${IDLE:-1000}" --addresses "${ADDRESSES:-8}" --seconds 20 ;;
    # The bystander's token for the valid half: a write whose body never comes.
    bodies) python3 "$HERE/attack.py" "$URL" "$BYSTANDER" "$BYSTANDER" bodies --count 200 ;;
    *) echo "unknown attack $attack (feeds, idle, bodies)" >&2; exit 2 ;;
  esac
  kill -TERM $PID
  wait $PID || true
  trap - EXIT
done
