#!/usr/bin/env bash
# More of the TUI's behaviours through the real binary in tmux (each has its update()
# test under src/tui/tests/), the store checked through the CLI wherever something is
# saved: the default columns; paging past the loaded rows with the count of the whole
# query; a refused save that keeps the typed title; a note that never conflicts; due
# inputs resolved in the technician's zone; the inbox from a customer's portal note,
# cleared per technician; the `:` palette offering only what is valid; field keys on
# marks with one ticket refused.
# Usage: DESK_BIN=path/to/desk bash tests/tui_tmux_more.sh
source "$(dirname "$0")/tmux/lib.sh"

# no config file: the default columns
"$BIN" --data "$DATA" init --demo --tickets 150 >/dev/null
create() { # TITLE COMPANY: a ticket of anna's, its number
  "$BIN" --data "$DATA" --as anna --json ticket create --title "$1" --company "$2" \
    --queue "Level 1" --source Phone | sed -n 's/.*"number": *"\([^"]*\)".*/\1/p' | head -1
}
field() { show "$1" | sed -n "s/^  \"$2\": *\"\\{0,1\\}\\([^\",]*\\)\"\\{0,1\\},\\{0,1\\}$/\\1/p" | head -1; }
lacks() { if screen "$1" | has -F -- "$2"; then fail "the screen $1 shows: $2"; fi; }
unseen() { "$BIN" --data "$DATA" --as "$1" ticket list --unseen 2>/dev/null; }
NUM=$(create "Tmux more printer" Contoso)
FAB=$(create "Tmux more Fabrikam mail" Fabrikam)
B1=$(create "Tmux bulk one" Contoso); B2=$(create "Tmux bulk two" Contoso); B3=$(create "Tmux bulk three" Contoso)
[ -n "$NUM" ] && [ -n "$FAB" ] && [ -n "$B3" ] || fail "could not create the tickets"
for n in "$B1" "$B2"; do "$BIN" --data "$DATA" --as anna ticket update "$n" --assign ben >/dev/null; done
"$BIN" --data "$DATA" --as anna ticket update "$B3" --assign anna >/dev/null

local_tui t anna
local_tui c chen
wait_for "All open" t; wait_for "All open" c

# --- 6. the default columns: priority and assigned among them ---
wait_line "number +title +status +prio +assigned" t

# --- 3. paging: scrolling past the loaded rows loads more; the count is the query's ---
ALL=$("$BIN" --data "$DATA" --as anna ticket count)
$T send-keys -t t '/'; wait_for "Filter" t
type_text t 'is:all'; $T send-keys -t t Enter
wait_line "All open / is:all · [0-9]+ of $ALL · " t
FIRST=$(screen t | grep -o "is:all · [0-9]* of" | grep -o "[0-9]*")
[ "$FIRST" -lt "$ALL" ] || fail "one page holds all $ALL tickets"
for _ in $(seq 1 10); do
  screen t | has -E "is:all · [0-9]+ of $ALL · " || break
  [ "$(screen t | grep -o "is:all · [0-9]* of" | grep -o "[0-9]*")" -gt "$FIRST" ] && break
  $T send-keys -t t NPage; sleep 0.05
done
wait_line "is:all · $((FIRST * 2)) of $ALL · " t
# to the end: every row of the query, the title's count the CLI's
for _ in $(seq 1 20); do
  screen t | has -F "is:all · $ALL · " && break
  $T send-keys -t t G; sleep 0.05
done
wait_for "is:all · $ALL · " t
$T send-keys -t t G
LAST=$("$BIN" --data "$DATA" --as anna --json ticket list --limit 500 2>/dev/null \
  | sed -n 's/^    "number": "\([^"]*\)",$/\1/p' | tail -1)
wait_line "^│.*│ +$LAST .*│$" t
$T send-keys -t t x; wait_not "is:all" t

# --- 1. a refused save keeps the typed title (longer than 500 characters) ---
find_ticket t "$NUM"
$T send-keys -t t T; wait_for "Title of $NUM" t
$T send-keys -t t C-u
type_text t "$(printf 'Tmux overlong %.0s' $(seq 1 40))END"; wait_for "overlong END" t
$T send-keys -t t C-s; wait_for "not saved: title: is longer than 500 characters" t
wait_for "Title of $NUM" t
[ "$(field "$NUM" title)" = "Tmux more printer" ] || fail "the refused title changed the ticket"
# still the typed text: eleven words off its end (END, five times "Tmux overlong") fit
for _ in $(seq 1 11); do $T send-keys -t t C-w; done
$T send-keys -t t C-s; wait_for "saved $NUM" t
WANT=$(printf 'Tmux overlong %.0s' $(seq 1 35)); WANT=${WANT% }
[ "$(field "$NUM" title)" = "$WANT" ] || fail "the kept text was not what was typed: $(field "$NUM" title)"

# --- 2. a note never conflicts: Chen changes the ticket after the note form opened ---
$T send-keys -t t n; wait_for "Note on $NUM" t
"$BIN" --data "$DATA" --as chen ticket update "$NUM" --priority Low >/dev/null || fail "chen's change"
type_text t "typed while Chen changed it"; $T send-keys -t t C-s
wait_for "saved $NUM" t
lacks t "Conflict on"
show "$NUM" | has -F '"text": "typed while Chen changed it"' || fail "the note was not saved"
[ "$(field "$NUM" priority)" = Low ] || fail "Chen's priority was lost"

# --- 5. due inputs, resolved with the zone before saving (anna: Europe/Berlin; DESK_NOW
# is Sun 2026-11-29 08:30 there) ---
wait_for "Anna Berger (anna) · Europe/Berlin" t
find_ticket t "$FAB"   # (a short title: the detail shows the due line)
$T send-keys -t t d; wait_for "Due date of $FAB" t; wait_for "In Europe/Berlin" t
type_text t "tomorrow 17:00"; wait_for "→ Mon 2026-11-30 17:00 CET" t
$T send-keys -t t Enter; wait_for "due         2026-11-30 17:00 CET" t
[ "$(field "$FAB" due_at)" = "2026-11-30T16:00:00Z" ] || fail "tomorrow 17:00: $(field "$FAB" due_at)"
$T send-keys -t t d; wait_for "Due date of $FAB" t
$T send-keys -t t C-u; type_text t "fri"; wait_for "→ Fri 2026-12-04 23:59 CET" t
$T send-keys -t t Enter; wait_for "due         2026-12-04 23:59 CET" t
[ "$(field "$FAB" due_at)" = "2026-12-04T22:59:00Z" ] || fail "fri: $(field "$FAB" due_at)"

# --- 7. the inbox from a customer's portal note; opening clears it for anna only ---
$T send-keys -t t x; wait_not "Ticket $FAB" t
news() { screen "$1" | grep -o "Level 1 *•[0-9]*" | grep -o "[0-9]*$"; }
wait_line "Level 1 +•[0-9]+ " t; wait_line "Level 1 +•[0-9]+ " c
NA=$(news t); NC=$(news c)
if screen t | has -E -- "• +$NUM "; then fail "$NUM is in the inbox before the note"; fi
"$BIN" --data "$DATA" --as lisa@contoso.example portal note "$NUM" --text "Still jammed." >/dev/null \
  || fail "the portal note"
$T send-keys -t t r; $T send-keys -t c r
wait_line "Level 1 +•$((NA + 1)) " t; wait_line "Level 1 +•$((NC + 1)) " c
wait_line "• +$NUM " t; wait_line "• +$NUM " c
find_ticket t "$NUM"
$T send-keys -t t Enter; wait_for "▶ $NUM" t
wait_line "Level 1 +•$NA " t
unseen anna | has -F "$NUM" && fail "$NUM is still unseen for anna"
unseen chen | has -F "$NUM" || fail "$NUM is no longer unseen for chen"
$T send-keys -t c r; wait_line "Level 1 +•$((NC + 1)) " c; wait_line "• +$NUM " c
$T send-keys -t t Escape

# --- 8. the palette offers only what is valid ---
# palette SESSION TEXT: the palette narrowed to TEXT
palette() { $T send-keys -t "$1" C-u; type_text "$1" "$2"; wait_for "> $2" "$1"; }
# a Contoso ticket not shared yet (the provider holds it): T1 and delete, no T5
$T send-keys -t t ':'; wait_for "Commands" t
palette t taskfire; wait_for "T1 assign to Taskfire" t
palette t escalate; lacks t "T5 escalate"
palette t delete; wait_for "T4 delete (asks first)" t
$T send-keys -t t Escape; wait_not "Commands" t
# a Fabrikam ticket (no Taskfire desk): no T1, delete offered
find_ticket t "$FAB"
$T send-keys -t t ':'; wait_for "Commands" t
palette t taskfire; wait_for "Taskfire menu" t; lacks t "T1 assign"
palette t escalate; lacks t "T5 escalate"
palette t delete; wait_for "T4 delete (asks first)" t
$T send-keys -t t Escape; wait_not "Commands" t
$T send-keys -t t q; $T send-keys -t c q
wait_gone t; wait_gone c

# --- 4. field keys on marks, one ticket refused: Ben (no Service Desk access) marks two
# of his and one of anna's ---
local_tui b ben
wait_for "All open" b
$T send-keys -t b '/'; wait_for "Filter" b
type_text b 'Tmux bulk'; $T send-keys -t b Enter
wait_for "All open / Tmux bulk · 3" b
$T send-keys -t b '*'; wait_for "● 3 marked" b
$T send-keys -t b p; wait_for "Priority — 3 marked tickets" b
$T send-keys -t b h Enter; wait_for "Change 3 tickets?" b
$T send-keys -t b y; wait_for "2 done, 1 refused, 0 conflicts" b
wait_line "refused +$B3 +Tmux bulk three" b
wait_for "not allowed: ben may not change ticket $B3" b
wait_for "(it is assigned to anna)" b   # the reason whole, to its end
wait_line "done +$B1 " b; wait_line "done +$B2 " b
for n in "$B1" "$B2"; do [ "$(field "$n" priority)" = High ] || fail "$n is not High"; done
[ "$(field "$B3" priority)" = Medium ] || fail "the refused $B3 changed: $(field "$B3" priority)"
$T send-keys -t b Escape; $T send-keys -t b q
wait_gone b

echo "tmux more journey: ok"
