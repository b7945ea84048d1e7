#!/usr/bin/env bash
# The query language and the list in a real terminal (tmux, 100×30): due< and due>,
# negation, assigned:me and assigned:none, lists of values, each checked against the CLI
# with the same filter (the count in the list's title and its first row); the Taskfire
# holder and the escalation mark in the list at 100×30; `?` help narrowing as you type;
# a sort set with o / O kept in a saved view across a restart.
# Usage: DESK_BIN=path/to/desk bash tests/tui_tmux_query.sh
source "$(dirname "$0")/tmux/lib.sh"

"$BIN" --data "$DATA" init --demo --tickets 300 >/dev/null
create() { # TITLE: a Contoso ticket of anna's, its number
  "$BIN" --data "$DATA" --as anna --json ticket create --title "$1" --company Contoso \
    --queue "Level 1" --source Phone | sed -n 's/.*"number": *"\([^"]*\)".*/\1/p' | head -1
}
HELD=$(create "Tmux query held by Contoso")
BACK=$(create "Tmux query escalated back")
[ -n "$HELD" ] && [ -n "$BACK" ] || fail "could not create the tickets"
for n in "$HELD" "$BACK"; do
  "$BIN" --data "$DATA" --as anna taskfire assign "$n" --queue "Contoso IT" --resource tom \
    --note "Yours." >/dev/null || fail "T1 of $n"
done
"$BIN" --data "$DATA" --as tom taskfire escalate "$BACK" --note "Too much for us." >/dev/null \
  || fail "T5 of $BACK"

# cli_numbers ARGS...: the numbers `ticket list` gives as anna for a filter, newest first.
cli_numbers() {
  "$BIN" --data "$DATA" --as anna --json ticket list --limit 500 "$@" 2>/dev/null \
    | sed -n 's/^    "number": "\([^"]*\)",$/\1/p'
}
# first_row SESSION NUMBER: until the list's first row is that ticket's.
first_row() {
  for _ in $(seq 1 400); do
    screen "$1" | grep -A1 -E "number +title" | tail -1 | has -F -- "$2" && return 0
    sleep 0.05
  done
  fail "the first row of $1 is not $2"
}
# filter SESSION QUERY: applies QUERY in the filter bar (once the bar shows all of it).
filter() {
  $T send-keys -t "$1" '/'; wait_for "Filter" "$1"
  $T send-keys -t "$1" C-u; type_text "$1" "$2"; wait_for "> $2" "$1"
  $T send-keys -t "$1" Enter; wait_not "Filter ·" "$1"
}
# same SESSION QUERY CLI-ARGS...: the TUI lists for QUERY what the CLI lists for the
# same filter: as many (the count in the list's title) and the same first row.
same() {
  local s=$1 q=$2; shift 2
  local nums n
  nums=$(cli_numbers "$@")
  n=$(printf '%s\n' "$nums" | grep -c . || true)
  [ "$n" -gt 1 ] || fail "the CLI lists $n tickets for $*: too few to check $q"
  filter "$s" "$q"
  # the title names the query at once and its count when the backend has counted
  wait_line "All open / $(printf '%s' "$q" | sed 's/[][\.*^$+?(){}|]/\\&/g') · ([0-9]+ of )?$n · " "$s"
  first_row "$s" "$(printf '%s\n' "$nums" | head -1)"
}

local_tui t anna
wait_for "All open"

# --- the query, checked against the CLI with the same filter ---
# (the clock is DESK_NOW, 2026-11-29 07:30 UTC; anna's zone is Europe/Berlin; a day in
# the query starts at midnight there, where the CLI's bare date would mean 23:59)
same t 'due<2d' --open --due-before 2026-12-01T07:30:00Z
same t 'due>2026-12-10' --open --due-after "2026-12-10 00:00"
same t 'due>2026-12-01 due<2026-12-20' --open --due-after "2026-12-01 00:00" --due-before "2026-12-20 00:00"
same t 'is:all -status:new,complete' --not-status New,Complete
same t 'assigned:me' --open --assigned anna
same t 'assigned:none' --open --unassigned
same t '-assigned:none priority:high,critical' --open --not-assigned none --priority High,Critical

# --- the holder and the escalation mark, at 100×30 ---
held_by() { show "$1" | sed -n 's/.*"held_by": *"\([^"]*\)".*/\1/p' | head -1; }
[ "$(held_by "$HELD")" = customer ] && [ "$(held_by "$BACK")" = provider ] \
  || fail "held by: $HELD $(held_by "$HELD"), $BACK $(held_by "$BACK")"
filter t 'Tmux query'
wait_line "⇩ $HELD " t
wait_line "⇧ $BACK " t
wait_for "⇩ held by the customer's desk" t; wait_for "⇧ escalated" t

# --- help narrows to what is typed ---
$T send-keys -t t x '?'; wait_for "Keys · tab: next page · type to filter"
type_text t escal; wait_for "filter: escal"
wait_for "T5 escalate to provider"
screen t | has -F "add a note" && fail "help shows what does not match escal"
$T send-keys -t t BSpace BSpace BSpace BSpace BSpace; wait_for "add a note"
$T send-keys -t t Tab Tab; wait_for "Query syntax ·"
type_text t overdue; wait_for "due<0h"
screen t | has -F "is:unseen" && fail "the query page shows what does not match overdue"
$T send-keys -t t Escape; wait_not "Query syntax ·"

# --- o / O sort over the whole query; a view keeps the sort across a restart ---
# (the selection stays on its ticket, further down: g goes to the first row)
$T send-keys -t t o; wait_for "by due▲"
$T send-keys -t t g
first_row t "$(cli_numbers --open --sort due | head -1)"
$T send-keys -t t O; wait_for "by due▼"; $T send-keys -t t g
LATEST=$(cli_numbers --open --sort -due | head -1)
first_row t "$LATEST"
$T send-keys -t t V; wait_for "query: sort:-due"
type_text t "Latest due"; $T send-keys -t t C-s; wait_for "saved the view Latest due"
has -F 'sort:-due' "$DESK_CONFIG" || fail "the view is not in the config file"
$T send-keys -t t q; wait_gone
local_tui t anna
wait_for "Latest due"
$T send-keys -t t BTab G; wait_for "Latest due · "
wait_for "by due▼"
$T send-keys -t t Tab g
first_row t "$LATEST"
$T send-keys -t t q; wait_gone

echo "tmux query journey: ok"
