#!/usr/bin/env bash
# A real terminal journey: drives the desk binary in tmux (send-keys, capture-pane) as a
# technician and as a portal contact, and checks the store through the CLI afterwards.
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

cleanup() { $T kill-server 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT

fail() { echo "FAIL: $*"; echo "--- screen ---"; $T capture-pane -p -t t 2>/dev/null || true; exit 1; }

# wait_for TEXT: until the screen shows TEXT (at most ~20 s, for a loaded CI machine).
wait_for() {
  for _ in $(seq 1 400); do
    if $T capture-pane -p -t t 2>/dev/null | grep -qF -- "$1"; then return 0; fi
    sleep 0.05
  done
  fail "the screen never showed: $1"
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

echo "tmux journey: ok"
