#!/usr/bin/env bash
# Triage of many tickets in real terminals (tmux), two TUIs on one `desk serve` and a
# third process (the CLI, as Chen) changing tickets on the same store meanwhile: the
# configured columns, the inbox kept per technician, marks, a change of the marked
# tickets whose conflict is listed and retried (also after a refresh), take, undo that
# leaves what someone changed since, sorting over the whole query, the filter's errors
# and history, delete from the palette (a conflict first: Chen changed it under the
# confirmation). The store is checked through the CLI after each step.
# Usage: DESK_BIN=path/to/desk bash tests/tui_tmux_triage.sh
source "$(dirname "$0")/tmux/lib.sh"

cat > "$DESK_CONFIG" <<'CFG'
[list]
columns = ["number", "title", "priority", "assigned", "taskfire", "updated"]
CFG
"$BIN" --data "$DATA" init --demo --tickets 1500 >/dev/null
for i in 1 2 3 4; do
  "$BIN" --data "$DATA" --as kim@contoso.example portal submit --title "Bulk portal $i" \
    --issue-type "General question" >/dev/null
done
num() { "$BIN" --data "$DATA" ticket list --search "$1" 2>/dev/null | grep -o 'T[0-9]\{8\}\.[0-9.]*' | head -1; }
field() { show "$1" | sed -n "s/.*\"$2\": *\"\\{0,1\\}\\([^\",]*\\)\"\\{0,1\\},\\{0,1\\}$/\\1/p" | head -1; }
"$BIN" --data "$DATA" ticket create --title "Title uncut at 200 columns: every spare column" \
  --company Contoso --queue "Level 1" --source Phone >/dev/null
P1=$(num "Bulk portal 1"); P2=$(num "Bulk portal 2"); P3=$(num "Bulk portal 3"); P4=$(num "Bulk portal 4")
[ -n "$P4" ] || fail "the portal tickets were not made"
PORTAL="$P1 $P2 $P3 $P4"
# first_row SESSION NUMBER: until the list's first row is that ticket's.
first_row() {
  for _ in $(seq 1 400); do
    screen "$1" | grep -A1 -E "number +title" | tail -1 | has -F -- "$2" && return 0
    sleep 0.05
  done
  fail "the first row of $1 is not $2"
}
chen() { "$BIN" --data "$DATA" --as chen ticket update "$@" >/dev/null || fail "chen: $*"; }

start_serve
remote_tui a anna 200 50
remote_tui b ben 160 48
wait_for "All open" a; wait_for "All open" b

# --- the configured columns; the title takes what the others leave ---
wait_line "number +title +prio +assigned +held +updated" a
screen a | grep -E "number +title" | has -E "company|status" \
  && fail "a column left out of [list] columns is shown"
wait_for "Title uncut at 200 columns: every spare column" a

# --- the inbox: news counted per queue; opening a ticket clears it for anna only ---
# how many news each has in the Client Portal queue (the demo's and the four)
news() { screen "$1" | grep -o "$2 *•[0-9]*" | grep -o "[0-9]*$"; }
wait_line "Client Portal +•[0-9]+ " a; wait_line "Client Portal +•[0-9]+ " b
NA=$(news a "Client Portal"); NB=$(news b "Client Portal")
[ "$NA" -ge 4 ] && [ "$NA" = "$NB" ] || fail "the inbox counts: anna $NA, ben $NB"
$T send-keys -t a '/'; wait_for "Filter" a
type_text a 'source:"Client Portal" status:new Bulk'; $T send-keys -t a Enter
wait_for 'All open / source:"Client Portal" status:new Bulk · 4' a
wait_line "• $P4" a
$T send-keys -t a Enter; wait_for "▶ $P4" a
wait_line "Client Portal +•$((NA - 1)) " a
$T send-keys -t a Escape
$T send-keys -t b r
wait_line "Client Portal +•$NB " b

# --- marks: space marks and moves down, X clears, * marks the whole query ---
$T send-keys -t a g Space Space; wait_for "● 2 marked" a
$T send-keys -t a X; wait_not "marked" a
$T send-keys -t a '*'; wait_for "● 4 marked" a

# --- priority High on the four; Chen changes one after anna confirmed what she saw ---
$T send-keys -t a p; wait_for "4 marked tickets" a
$T send-keys -t a h Enter; wait_for "Change 4 tickets?" a
chen "$P2" --priority Critical
$T send-keys -t a y
wait_for "3 done, 0 refused, 1 conflict" a
wait_for "chen set priority to Critical" a
[ "$(field "$P2" priority)" = Critical ] || fail "High was saved over Chen's Critical"
for n in $P1 $P3 $P4; do [ "$(field "$n" priority)" = High ] || fail "$n is not High"; done
# retry the failed: anna's High on top of Chen's, which the panel showed
$T send-keys -t a r; wait_for "1 done, 0 refused, 0 conflicts" a
[ "$(field "$P2" priority)" = High ] || fail "the retry did not save High on $P2"
$T send-keys -t a Escape; wait_not "marked" a

# --- take: the four assigned to anna; Ben's TUI shows it through the feed ---
$T send-keys -t a '*'; wait_for "● 4 marked" a
$T send-keys -t a A; wait_for "Change 4 tickets?" a
$T send-keys -t a y; wait_for "4 done, 0 refused, 0 conflicts" a
for n in $PORTAL; do [ "$(field "$n" assigned)" = anna ] || fail "$n was not taken"; done
wait_line "Bulk portal 1 .* anna" b 100
$T send-keys -t a Escape

# --- undo the take; Chen changed one since, so that one is left as it is ---
chen "$P3" --status "In Progress"
$T send-keys -t a u; wait_for "undo of taken" a
wait_for "3 done, 0 refused, 1 conflict" a
for n in $P1 $P2 $P4; do [ "$(field "$n" assigned)" = "" ] || [ "$(field "$n" assigned)" = null ] || fail "$n: the take was not undone: $(field "$n" assigned)"; done
[ "$(field "$P3" assigned)" = anna ] || fail "undo overwrote Chen's change of $P3"
[ "$(field "$P3" status)" = "In Progress" ] || fail "Chen's status on $P3 was lost"
$T send-keys -t a Escape

# --- a change of marked rows after a refresh: still conditional on the rows as loaded ---
# (the audit's case: Chen's Critical, shown after r only as a Δ, is not overwritten)
# row SESSION N: the number on the list's Nth row.
row() { screen "$1" | grep -A"$2" -E "number +title" | tail -1 | grep -o 'T[0-9]\{8\}\.[0-9.]*' | head -1; }
R1=$(row a 1); R2=$(row a 2)
[ -n "$R1" ] && [ -n "$R2" ] && [ "$R1" != "$R2" ] || fail "the first two rows: '$R1' '$R2'"
# both High (the change above) and seen at that version by anna's own changes
for n in $R1 $R2; do [ "$(field "$n" priority)" = High ] || fail "$n is not High"; done
$T send-keys -t a g Space Space; wait_for "● 2 marked" a
chen "$R2" --priority Critical
$T send-keys -t a r; wait_line "Δ *$R2.* Crit " a
$T send-keys -t a p h Enter; wait_for "Change 2 tickets?" a
wait_for "1 of them changed since you loaded them" a
$T send-keys -t a y
wait_for "1 done, 0 refused, 1 conflict" a
wait_for "chen set priority to Critical" a
[ "$(field "$R2" priority)" = Critical ] || fail "High was saved over Chen's Critical on $R2 after r"
[ "$(field "$R1" priority)" = High ] || fail "$R1 is not High"
$T send-keys -t a Escape; $T send-keys -t a X; wait_not "marked" a

# --- sorting is the backend's over the whole query: most overdue first, then reversed ---
$T send-keys -t a '/'; wait_for "Filter" a
$T send-keys -t a C-u; type_text a 'sort:due'; $T send-keys -t a Enter
FIRST=$("$BIN" --data "$DATA" --as anna ticket list --open --sort due --limit 1 2>/dev/null | grep -o 'T[0-9]\{8\}\.[0-9.]*' | head -1)
wait_for "by due▲" a
first_row a "$FIRST"
$T send-keys -t a O; wait_for "by due▼" a
LAST=$("$BIN" --data "$DATA" --as anna ticket list --open --sort -due --limit 1 2>/dev/null | grep -o 'T[0-9]\{8\}\.[0-9.]*' | head -1)
first_row a "$LAST"

# --- the filter: a field-like word is an error naming it; history with ↑ ---
$T send-keys -t a '/'; wait_for "Filter" a
$T send-keys -t a C-u; type_text a 'colour:red'; wait_for "> colour:red" a; $T send-keys -t a Enter
# the error names the field (the input alone would match "colour")
wait_for '"colour:red": unknown filter colour:' a
$T send-keys -t a C-u Up; wait_for "sort:due" a
$T send-keys -t a Escape

# --- delete from the palette, which says so when done ---
$T send-keys -t a '/'; wait_for "Filter" a
$T send-keys -t a C-u; type_text a "$P1"; $T send-keys -t a Enter
wait_for "Ticket $P1" a
$T send-keys -t a ':'; wait_for "Commands" a
type_text a 'delete'; $T send-keys -t a Enter
wait_for "Delete $P1" a
# Chen changes it while the confirmation is up: nothing deleted, the conflict names him
chen "$P1" --priority Low
$T send-keys -t a y; wait_for "Conflict on $P1" a
wait_for "Low (chen)" a; wait_for "yours: delete the ticket" a
show "$P1" >/dev/null 2>&1 || fail "$P1 was deleted over Chen's change"
# m: delete it on top of what Chen did, which the popup showed
$T send-keys -t a m; wait_for "deleted $P1" a
show "$P1" >/dev/null 2>&1 && fail "$P1 was not deleted"

$T send-keys -t a q; $T send-keys -t b q
wait_gone a; wait_gone b
echo "tmux triage journey: ok"
