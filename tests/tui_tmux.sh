#!/usr/bin/env bash
# A real terminal journey: drives the desk binary in tmux (send-keys, capture-pane) as a
# technician and as a portal contact, and checks the store through the CLI afterwards;
# then two technicians' TUIs on one `desk serve` see each other's work.
# Usage: DESK_BIN=path/to/desk bash tests/tui_tmux.sh
# Waiting is by condition (the text appears on screen), bounded, never a fixed delay.
set -euo pipefail

BIN=${DESK_BIN:?set DESK_BIN to the desk binary}
DATA=$(mktemp -d)
SOCK="desk-test-$$"
export DESK_NOW="2026-11-29T07:30:00Z"
export DESK_CONFIG="$DATA/config.toml"
export NO_COLOR=1
T="tmux -L $SOCK"

SERVER=
cleanup() {
  $T kill-server 2>/dev/null || true
  if [ -n "$SERVER" ]; then kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  for s in t a b; do
    if $T has-session -t "$s" 2>/dev/null; then echo "--- screen $s ---"; $T capture-pane -p -t "$s"; fi
  done
  exit 1
}

# wait_for TEXT [SESSION] [TRIES]: until the screen shows TEXT (at most TRIES × 50 ms;
# ~20 s by default, for a loaded CI machine).
wait_for() {
  for _ in $(seq 1 "${3:-400}"); do
    if $T capture-pane -p -t "${2:-t}" 2>/dev/null | grep -qF -- "$1"; then return 0; fi
    sleep 0.05
  done
  fail "the screen ${2:-t} never showed: $1"
}

# wait_line REGEX SESSION [TRIES]: until a line of the screen matches REGEX.
wait_line() {
  for _ in $(seq 1 "${3:-400}"); do
    if $T capture-pane -p -t "$2" 2>/dev/null | grep -qE -- "$1"; then return 0; fi
    sleep 0.05
  done
  fail "no line of screen $2 matched: $1"
}

# wait_not TEXT: until the screen no longer shows TEXT (a popup closed).
wait_not() {
  for _ in $(seq 1 400); do
    if ! $T capture-pane -p -t t 2>/dev/null | grep -qF -- "$1"; then return 0; fi
    sleep 0.05
  done
  fail "the screen kept showing: $1"
}

# wait_gone: until desk has left and tmux closed the session.
wait_gone() {
  for _ in $(seq 1 400); do
    if ! $T has-session -t t 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  fail "desk did not quit"
}

printf '#!/bin/sh\nprintf "written in the editor\\n" >> "$1"\n' > "$DATA/editor.sh"
chmod +x "$DATA/editor.sh"

start() { # start LOGIN
  $T new-session -d -s t -x 100 -y 30 "EDITOR='$DATA/editor.sh' '$BIN' --data '$DATA' --as '$1'"
}

"$BIN" --data "$DATA" init --demo --tickets 200 >/dev/null
NUM=$("$BIN" --data "$DATA" --json ticket create --title "Tmux printer jam" --company Contoso \
  --contact lisa@contoso.example --queue "Level 1" --source Phone \
  | sed -n 's/.*"number": *"\([^"]*\)".*/\1/p' | head -1)
[ -n "$NUM" ] || fail "could not create the ticket"

# --- a technician triages ---
start anna
wait_for "All open"
wait_for "Client Portal"
$T send-keys -t t '/' ; wait_for "Filter"
$T send-keys -t t -l 'status:new source:"Client Portal"'; $T send-keys -t t Enter
wait_for 'All open / status:new source:"Client Portal"'
$T send-keys -t t '/' ; wait_for "Filter"
$T send-keys -t t End; for _ in $(seq 1 60); do $T send-keys -t t BSpace; done
$T send-keys -t t -l "$NUM"; $T send-keys -t t Enter
wait_for "Tmux printer jam"
wait_for "in Level 1 (provider desk)"
# an internal note
$T send-keys -t t n; wait_for "Note on $NUM"
$T send-keys -t t -l "typed in tmux"; $T send-keys -t t C-s
wait_for "saved $NUM"
wait_not "Note on $NUM"
# a long note in $EDITOR (here a script that appends a line), then published
$T send-keys -t t n; wait_for "Note on $NUM"
$T send-keys -t t C-e; wait_for "written in the editor"
$T send-keys -t t Tab Space; wait_for "PUBLISHED: the customer sees it"
$T send-keys -t t C-s
wait_not "Note on $NUM"
# status: one down from New is In Progress
$T send-keys -t t s; wait_for "Status — $NUM"
$T send-keys -t t j Enter
wait_for "status      In Progress"
# help and palette open and close
$T send-keys -t t '?'; wait_for "show every key"; $T send-keys -t t Escape
$T send-keys -t t ':'; wait_for "Commands"; $T send-keys -t t Escape
# a resize never breaks it
$T resize-window -t t -x 80 -y 24; wait_for "Queues"
$T resize-window -t t -x 160 -y 48; wait_for "History"
$T send-keys -t t q
wait_gone

SHOW=$("$BIN" --data "$DATA" --json ticket show "$NUM")
echo "$SHOW" | grep -q '"status": "In Progress"' || fail "status not saved: $SHOW"
echo "$SHOW" | grep -q 'typed in tmux' || fail "note not saved"
echo "$SHOW" | grep -q '"kind": "internal"' || fail "the note is not internal"
echo "$SHOW" | grep -q '"kind": "published"' || fail "the editor note is not published"
echo "$SHOW" | grep -q 'written in the editor' || fail "the editor text was not saved"

# --- a portal contact submits a ticket ---
start lisa@contoso.example
wait_for "My tickets"
$T send-keys -t t c; wait_for "New ticket"
$T send-keys -t t -l "Tmux VPN drops"; $T send-keys -t t Tab Right Tab
$T send-keys -t t -l "since Monday"; $T send-keys -t t C-s
wait_for "saved T"
$T send-keys -t t C-c
wait_gone
"$BIN" --data "$DATA" --as lisa@contoso.example portal list 2>/dev/null | grep -q "Tmux VPN drops" \
  || fail "the portal ticket is not in the portal list"

# --- two technicians on one desk serve, each in a terminal of their own ---
"$BIN" --data "$DATA" serve --listen 127.0.0.1:0 >"$DATA/serve.out" 2>"$DATA/serve.err" &
SERVER=$!
for _ in $(seq 1 400); do grep -q "listening on" "$DATA/serve.out" && break; sleep 0.05; done
URL=$(sed -n 's/.*listening on //p' "$DATA/serve.out")
[ -n "$URL" ] || fail "desk serve did not start: $(cat "$DATA/serve.err")"
remote() { # remote SESSION LOGIN
  local token
  token=$("$BIN" --data "$DATA" token create "$2" 2>/dev/null)
  $T new-session -d -s "$1" -x 100 -y 30 "'$BIN' --remote '$URL' --token '$token'"
}
remote a anna
remote b ben
wait_for "Anna Berger (anna)" a
wait_for "Ben Okafor (ben)" b
wait_for "All open" b
# Anna makes a ticket; Ben's list shows it without a key pressed. Within 5 s: sooner than
# the 15 s refresh, so it came through the change feed.
$T send-keys -t a c; wait_for "New ticket" a
$T send-keys -t a -l "Seen by Ben"; $T send-keys -t a C-s
wait_for "saved T" a
wait_for "Seen by Ben" b 100
SEEN=$("$BIN" --data "$DATA" ticket list --search "Seen by Ben" 2>/dev/null | grep -o 'T[0-9]\{8\}\.[0-9]*' | head -1)
[ -n "$SEEN" ] || fail "the ticket Anna made is not in the store"
# Anna (Service Desk) gives it to Ben: without Service Desk access he works only his own
# tickets (R8). Ben finds it and starts work; Anna's list shows the new status.
"$BIN" --data "$DATA" --as anna ticket update "$SEEN" --assign ben >/dev/null \
  || fail "anna could not assign $SEEN to ben"
$T send-keys -t b '/'; wait_for "Filter" b
$T send-keys -t b -l "$SEEN"; $T send-keys -t b Enter
wait_for "Ticket $SEEN" b
$T send-keys -t b s; wait_for "Status — $SEEN" b
$T send-keys -t b j Enter
wait_for "saved $SEEN" b
wait_line "$SEEN +Seen by Ben .*In Progress" a 100
$T send-keys -t a q
$T send-keys -t b q

echo "tmux journey: ok"
