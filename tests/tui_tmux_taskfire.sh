#!/usr/bin/env bash
# The Taskfire menu and the outbox in real terminals (tmux). The menu offers only what is
# valid for the ticket (docs/rules.md, "The Taskfire actions"): for the provider T1 on a
# ticket not shared yet or held by the provider again after T5, never on one the
# customer's desk holds, never for a company without Taskfire; for a Taskfire resource
# T5 on a ticket their desk holds, nothing on one the provider holds. The outbox names
# its time zone and previews the selected message's body.
# Usage: DESK_BIN=path/to/desk bash tests/tui_tmux_taskfire.sh
source "$(dirname "$0")/tmux/lib.sh"

"$BIN" --data "$DATA" init --demo --tickets 20 >/dev/null
create() { # TITLE COMPANY: a ticket of anna's, its number
  "$BIN" --data "$DATA" --as anna --json ticket create --title "$1" --company "$2" \
    --queue "Level 1" --source Phone | sed -n 's/.*"number": *"\([^"]*\)".*/\1/p' | head -1
}
assign() { "$BIN" --data "$DATA" --as anna taskfire assign "$1" --queue "Contoso IT" --resource tom --note "$2" >/dev/null; }
held_by() { show "$1" | sed -n 's/.*"held_by": *"\([^"]*\)".*/\1/p' | head -1; }
HELD=$(create "Tmux held by Contoso" Contoso)
BACK=$(create "Tmux back with the provider" Contoso)
FAB=$(create "Tmux Fabrikam mail" Fabrikam)
FRESH=$(create "Tmux not shared" Contoso)
[ -n "$HELD" ] && [ -n "$BACK" ] && [ -n "$FAB" ] && [ -n "$FRESH" ] || fail "could not create the tickets"
assign "$HELD" "Yours to look at."
assign "$BACK" "Please check the switch."
"$BIN" --data "$DATA" --as tom taskfire escalate "$BACK" --note "Too much for us." >/dev/null
[ "$(held_by "$HELD")" = customer ] || fail "$HELD: held by $(held_by "$HELD")"
[ "$(held_by "$BACK")" = provider ] || fail "$BACK: held by $(held_by "$BACK")"

# menu SESSION NUMBER: opens the Taskfire menu of the ticket.
menu() { find_ticket "$1" "$2"; $T send-keys -t "$1" t; wait_for "Taskfire — $2" "$1"; }
# lacks SESSION TEXT: the screen does not show TEXT (it is up already: checked after a wait).
lacks() { if screen "$1" | has -F -- "$2"; then fail "the screen $1 offers: $2"; fi; }
T1="T1  Assign to Taskfire"; T2="T2  My work on this ticket is complete"; T3="T3  I have a question"
T4="T4  Delete (and its Taskfire version)"; T5="T5  Escalate to the provider"

# --- the provider's menu, by who holds the ticket ---
local_tui t anna
wait_for "All open"
menu t "$FRESH"
wait_for "$T1"; wait_for "$T4"; wait_for "not shared yet"
lacks t "$T2"; lacks t "$T3"; lacks t "$T5"
$T send-keys -t t Escape; wait_not "Taskfire — $FRESH"
menu t "$HELD"
wait_for "$T2"; wait_for "$T3"; wait_for "$T4"; wait_for "held by the customer's desk"
lacks t "$T1"; lacks t "$T5"
$T send-keys -t t Escape; wait_not "Taskfire — $HELD"
menu t "$FAB"
wait_for "$T4"; wait_for "Fabrikam has no Taskfire desk"
lacks t "$T1"; lacks t "$T2"; lacks t "$T3"; lacks t "$T5"
$T send-keys -t t Escape; wait_not "Taskfire — $FAB"
# held by the provider again after T5: T1 hands it back, T2-T4 as for any share, no T5
menu t "$BACK"
wait_for "$T1"; wait_for "$T2"; wait_for "$T3"; wait_for "$T4"
wait_for "held by the provider again"
lacks t "$T5"
$T send-keys -t t Enter; wait_for "T1 Assign $BACK to Taskfire"
$T send-keys -t t Tab Right Tab Tab; type_text t "Back to you with the new part."   # to tom
$T send-keys -t t C-s; wait_for "saved $BACK"
[ "$(held_by "$BACK")" = customer ] || fail "T1 again: $BACK held by $(held_by "$BACK")"

# --- the outbox: zone named, newest first (the T1 just made tells Tom), body previewed ---
$T send-keys -t t x; wait_not "Ticket $BACK"
$T send-keys -t t N; wait_for "Outbox ·"
screen t | has -E "Outbox · [0-9]+ newest · times in [A-Za-z_]+/[A-Za-z_]+" || fail "the outbox names no zone"
wait_for "Hello Tom Reyes," t; wait_for "Back to you with the new part." t   # the selected one's body
newest=$(screen t | grep -A1 -F "Outbox ·" | tail -n 1)
echo "$newest" | has -E " 2026-11-29 08:30 CET +T1 assigned +$BACK +tom@contoso.example" \
  || fail "the newest message is not the T1 just made, with its time and zone: $newest"
$T send-keys -t t Enter; wait_for "Ticket $BACK"  # enter opens the message's ticket
$T send-keys -t t q
wait_gone

# --- Tom's menu: T5 on a ticket his desk holds; nothing on one the provider holds ---
local_tui u tom
wait_for "Contoso IT" u
menu u "$HELD"
wait_for "$T5" u
lacks u "$T1"; lacks u "$T2"; lacks u "$T4"
$T send-keys -t u Enter; wait_for "T5 Escalate $HELD to the provider" u
type_text u "We cannot fix the cooling ourselves."; $T send-keys -t u C-s
wait_for "saved $HELD" u
[ "$(held_by "$HELD")" = provider ] || fail "T5: $HELD held by $(held_by "$HELD")"
find_ticket u "$HELD"
$T send-keys -t u t; wait_for "already held by the provider" u
lacks u "Taskfire — $HELD"
$T send-keys -t u q
wait_gone u

echo "tmux taskfire and outbox journey: ok"
