#!/usr/bin/env bash
# Two technicians at once, in real terminals (tmux): first two desk processes on one
# store, then two TUIs on one `desk serve`. An edit made on a version someone changed
# since is never saved over theirs: the conflict shows, and nothing is saved until
# chosen. The feed shows each other's work; a lost connection shows until it is back.
# Usage: DESK_BIN=path/to/desk bash tests/tui_tmux_team.sh
source "$(dirname "$0")/tmux/lib.sh"

"$BIN" --data "$DATA" init --demo --tickets 50 >/dev/null
NUM=$("$BIN" --data "$DATA" --json ticket create --title "Shared printer" --company Contoso \
  --queue "Level 1" --source Phone | sed -n 's/.*"number": *"\([^"]*\)".*/\1/p' | head -1)
[ -n "$NUM" ] || fail "could not create the ticket"
prio() { show "$NUM" | sed -n 's/.*"priority": *"\([^"]*\)".*/\1/p' | head -1; }

# --- two processes on one store: Chen's picker opened on Medium, Anna sets Critical ---
local_tui a anna
local_tui b chen
wait_for "All open" a; wait_for "All open" b
find_ticket a "$NUM"; find_ticket b "$NUM"
$T send-keys -t b p; wait_for "Priority — $NUM" b
$T send-keys -t a p; wait_for "Priority — $NUM" a
$T send-keys -t a j j Enter; wait_for "saved $NUM" a      # Critical
[ "$(prio)" = Critical ] || fail "anna's Critical was not saved: $(prio)"
$T send-keys -t b k Enter                                  # Low, on the version before
wait_for "Conflict on $NUM" b
wait_line "priority +Medium +Critical \(anna\) +Low" b
[ "$(prio)" = Critical ] || fail "Low was saved over Critical"
$T send-keys -t b t; wait_for "kept theirs: nothing saved on $NUM" b
[ "$(prio)" = Critical ] || fail "keep theirs changed the ticket: $(prio)"
wait_line "priority Critical" b
$T send-keys -t a q; $T send-keys -t b q
wait_gone a; wait_gone b

# --- two TUIs on one desk serve ---
start_serve
PORT=${URL##*:}
remote_tui a anna
remote_tui b ben
wait_for "Anna Berger (anna)" a
wait_for "Ben Okafor (ben)" b
wait_for "All open" b
# Anna makes a ticket; Ben's list shows it without a key pressed. Within 5 s: sooner than
# the 15 s refresh, so it came through the change feed.
$T send-keys -t a c; wait_for "New ticket" a
type_text a "Seen by Ben"; $T send-keys -t a C-s
wait_for "saved T" a
wait_for "Seen by Ben" b 100
SEEN=$("$BIN" --data "$DATA" ticket list --search "Seen by Ben" 2>/dev/null | grep -o 'T[0-9]\{8\}\.[0-9]*' | head -1)
[ -n "$SEEN" ] || fail "the ticket Anna made is not in the store"
# Anna (Service Desk) gives it to Ben: without Service Desk access he works only his own
# tickets (R8). Ben starts work; Anna's list shows the new status, marked as changed
# since loaded.
"$BIN" --data "$DATA" --as anna ticket update "$SEEN" --assign ben >/dev/null \
  || fail "anna could not assign $SEEN to ben"
find_ticket b "$SEEN"
$T send-keys -t b s; wait_for "Status — $SEEN" b
$T send-keys -t b j Enter
wait_for "saved $SEEN" b
wait_line "Δ +$SEEN +Seen by Ben .*In Progress" a 100
# A rename on both sides: Ben's form opened first, Anna saves first; Ben's is a conflict
# over the server too, and applying his on top saves his.
find_ticket a "$SEEN"
$T send-keys -t b T; wait_for "Title of $SEEN" b
$T send-keys -t a T; wait_for "Title of $SEEN" a
$T send-keys -t a C-u; type_text a "Renamed by Anna"; $T send-keys -t a C-s
wait_for "saved $SEEN" a
$T send-keys -t b C-u; type_text b "Renamed by Ben"; $T send-keys -t b C-s
wait_for "Conflict on $SEEN" b
wait_for "Renamed by Anna (anna)" b
show "$SEEN" | has '"title": "Renamed by Anna"' || fail "Ben's title was saved over Anna's"
$T send-keys -t b m; wait_for "saved $SEEN" b
show "$SEEN" | has '"title": "Renamed by Ben"' || fail "apply mine did not save Ben's title"
wait_for "Renamed by Ben" a 100
# The server goes away: both show it, and it clears when it is back.
stop_serve
wait_for "connection lost" a
wait_for "connection lost" b
start_serve "$PORT"
wait_not "connection lost" a
wait_not "connection lost" b
$T send-keys -t a q
$T send-keys -t b q

echo "tmux team journey: ok"
