#!/usr/bin/env bash
# The morning triage, as a team, in real terminals: the demo desk behind `desk serve`,
# Anna's and Chen's TUIs on it (tmux). Anna opens her saved view of new portal tickets,
# marks them all and triages them in one form; meanwhile Chen changes one of them and
# adds a note. Counts Anna's keys, times the change of all of them over desk serve
# (from y to the results panel), and checks through the CLI that nothing either of them
# did was lost. Usage: benches/triage_demo.sh [TICKETS] (the demo desk's 2000 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
tickets=${1:-2000}
cargo build --release --quiet
export DESK_BIN=${DESK:-${CARGO_TARGET_DIR:-$PWD/target}/release/desk}
source tests/tmux/lib.sh
cat > "$DESK_CONFIG" <<'TOML'
[[views]]
name = "Portal, new"
query = 'source:"Client Portal" status:new sort:created'
TOML

"$BIN" --data "$DATA" init --demo --tickets "$tickets" >/dev/null
new=$("$BIN" --data "$DATA" ticket count --source "Client Portal" --status New 2>/dev/null | tr -dc 0-9)
echo "the demo desk: $tickets tickets, $new of them new from the Client Portal"
start_serve
remote_tui a anna
remote_tui b chen
for s in a b; do $T resize-window -t $s -x 160 -y 48; done
wait_for "All open" a; wait_for "All open" b

KEYS=0
keys a BTab G Enter                          # the saved view, at the end of the queue pane
wait_for "Portal, new · $new" a
keys a '*'                                   # mark all of them
wait_for "● $new marked" a
keys a R                                     # one triage form for all of them
wait_for "Triage $new marked tickets" a
# Chen, while Anna's form is open, on one of them: a higher priority and a note.
victim=$("$BIN" --data "$DATA" --json ticket list --source "Client Portal" --status New --sort created --limit 1 \
  | grep -o 'T[0-9]\{8\}\.[0-9.]*[0-9]' | head -1)
# A priority other than the one it has, so that it is a change.
if show "$victim" | has '"priority": "Critical"'; then prio=Low; else prio=Critical; fi
find_ticket b "$victim"
$T send-keys -t b p; wait_for "Priority — $victim" b
type_text b "$prio"; $T send-keys -t b Enter; wait_for "saved $victim" b
$T send-keys -t b n; wait_for "Note on $victim" b
type_text b "Called the customer: it is urgent."; $T send-keys -t b C-s; wait_for "saved $victim" b

keys a i Tab h Tab l Tab a Tab r Tab         # In Progress, High, Level 1, anna, Remote Support
type_text a "+1d"; KEYS=$((KEYS + 3))
wait_for "→ Mon 2026-11-30 08:30 CET" a
keys a C-s
wait_for "Change $new tickets?" a
t0=$(date +%s%N)
keys a y
wait_for "triage · " a 2400
t1=$(date +%s%N)
echo "Anna's keys: $KEYS, for $new tickets"
echo "the change of $new tickets over desk serve: $(( (t1 - t0) / 1000000 )) ms (from y to the results panel)"
screen a | grep -o "triage · [0-9]* done, [0-9]* refused, [0-9]* conflicts"
wait_line "conflict +$victim" a; wait_for "chen set priority to $prio" a
# Anna saw Chen's change in the panel: she keeps it (closes the panel, retries nothing).
keys a Escape
echo "Anna's keys in all: $KEYS"

# Nothing lost: Chen's priority and note stand; every other ticket has Anna's triage.
V=$(show "$victim")
echo "$V" | has "\"priority\": \"$prio\"" || fail "Chen's priority was lost"
echo "$V" | has 'Called the customer: it is urgent.' || fail "Chen's note was lost"
left=$("$BIN" --data "$DATA" ticket count --source "Client Portal" --status New 2>/dev/null | tr -dc 0-9)
[ "$left" = 1 ] || fail "$left portal tickets still New (only Chen's should be)"
done_n=$("$BIN" --data "$DATA" ticket count --source "Client Portal" --status "In Progress" --priority High \
  --queue "Level 1" --assigned anna 2>/dev/null | tr -dc 0-9)
echo "In Progress / High / Level 1 / anna now: $done_n tickets (at least the $((new - 1)) Chen did not change)"
[ "$done_n" -ge $((new - 1)) ] || fail "not every ticket got Anna's triage"
$T send-keys -t a q; $T send-keys -t b q
echo "triage demo: ok"
