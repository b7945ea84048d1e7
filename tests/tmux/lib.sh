# Helpers for the tmux journeys through the real TUI (sourced by tests/tmux/*.sh).
# Waiting is by condition (the text appears on screen), bounded, never a fixed delay.
set -euo pipefail

BIN=${DESK_BIN:?set DESK_BIN to the desk binary}
DATA=$(mktemp -d)
SOCK="desk-test-$$"
export DESK_NOW="2026-11-29T07:30:00Z"
export DESK_CONFIG="$DATA/config.toml"
export NO_COLOR=1
T=tm
# tm ARGS: tmux on this journey's own server, with every bare `-t NAME` made exact
# (`=NAME:`, the session of that name). tmux looks a bare name up first as a window of
# the current session, by prefix, so `-t t` can reach another session's window whose name
# begins with t: in one CI run anna's filter and paging keys went to chen's TUI.
tm() {
  local a=()
  while [ $# -gt 0 ]; do
    if [ "$1" = "-t" ] && [ $# -ge 2 ]; then
      case $2 in
        =* | *:* | %*) a+=(-t "$2") ;;
        *) a+=(-t "=$2:") ;;
      esac
      shift 2
    else
      a+=("$1")
      shift
    fi
  done
  tmux -L "$SOCK" "${a[@]}"
}
SERVER=

cleanup() {
  $T kill-server 2>/dev/null || true
  if [ -n "$SERVER" ]; then kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  for s in $($T list-sessions -F '#S' 2>/dev/null); do
    echo "--- screen $s ---"; $T capture-pane -p -t "$s"
  done
  exit 1
}

# has GREP-ARGS: grep that reads all of its input (grep -q stops at the first match, and
# under pipefail the writer's SIGPIPE would then make a match look like none).
has() { grep "$@" >/dev/null; }

screen() { $T capture-pane -p -t "${1:-t}" 2>/dev/null; }

# wait_for TEXT [SESSION] [TRIES]: until the screen shows TEXT (at most TRIES × 50 ms;
# ~20 s by default, for a loaded CI machine).
wait_for() {
  for _ in $(seq 1 "${3:-400}"); do
    if screen "${2:-t}" | has -F -- "$1"; then return 0; fi
    sleep 0.05
  done
  fail "the screen ${2:-t} never showed: $1"
}

# wait_line REGEX SESSION [TRIES]: until a line of the screen matches REGEX.
wait_line() {
  for _ in $(seq 1 "${3:-400}"); do
    if screen "$2" | has -E -- "$1"; then return 0; fi
    sleep 0.05
  done
  fail "no line of screen $2 matched: $1"
}

# wait_not TEXT [SESSION]: until the screen no longer shows TEXT (a popup closed).
wait_not() {
  for _ in $(seq 1 400); do
    if ! screen "${2:-t}" | has -F -- "$1"; then return 0; fi
    sleep 0.05
  done
  fail "the screen ${2:-t} kept showing: $1"
}

# wait_gone [SESSION]: until desk has left and tmux closed the session.
wait_gone() {
  for _ in $(seq 1 400); do
    if ! $T has-session -t "${1:-t}" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  fail "desk did not quit in ${1:-t}"
}

# keys SESSION KEY...: send tmux keys; KEYS counts them (the triage goal is counted).
KEYS=0
keys() {
  local s=$1; shift
  for k in "$@"; do $T send-keys -t "$s" "$k"; KEYS=$((KEYS + 1)); done
}

# type SESSION TEXT: literal text (not counted as keys: it is the text itself); text
# starting with - (-status:complete) is text too, not an option of tmux.
type_text() { $T send-keys -t "$1" -l -- "$2"; }

# local_tui SESSION LOGIN: the TUI on the local store, 100×30.
local_tui() {
  $T new-session -d -s "$1" -x 100 -y 30 "EDITOR='$DATA/editor.sh' '$BIN' --data '$DATA' --as '$2'"
}

# json_field NUMBER FIELD: a field of a ticket from the CLI.
show() { "$BIN" --data "$DATA" --json ticket show "$1"; }

# start_serve [PORT]: desk serve on the store, its URL in $URL.
start_serve() {
  local out="$DATA/serve.out"
  : > "$out"
  "$BIN" --data "$DATA" serve --listen "127.0.0.1:${1:-0}" >"$out" 2>"$DATA/serve.err" &
  SERVER=$!
  for _ in $(seq 1 400); do grep -q "listening on" "$out" && break; sleep 0.05; done
  URL=$(sed -n 's/.*listening on //p' "$out")
  [ -n "$URL" ] || fail "desk serve did not start: $(cat "$DATA/serve.err")"
}

stop_serve() {
  kill -TERM "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  SERVER=
}

# remote_tui SESSION LOGIN [WIDTH HEIGHT]: the TUI on desk serve (100×30 by default).
remote_tui() {
  local token
  token=$("$BIN" --data "$DATA" token create "$2" 2>/dev/null)
  $T new-session -d -s "$1" -x "${3:-100}" -y "${4:-30}" "'$BIN' --remote '$URL' --token '$token'"
}

# find SESSION NUMBER: the filter bar finds one ticket.
find_ticket() {
  $T send-keys -t "$1" '/'; wait_for "Filter" "$1"
  $T send-keys -t "$1" C-u; type_text "$1" "$2"; $T send-keys -t "$1" Enter
  wait_for "Ticket $2" "$1"
}

printf '#!/bin/sh\nprintf "written in the editor\\n" >> "$1"\n' > "$DATA/editor.sh"
chmod +x "$DATA/editor.sh"
