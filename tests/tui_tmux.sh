#!/usr/bin/env bash
# A real terminal journey: drives the desk binary in tmux (send-keys, capture-pane) as a
# technician and as a portal contact, and checks the store through the CLI afterwards.
# Two technicians on one store and on one `desk serve` are tests/tui_tmux_team.sh; marks,
# bulk, take, undo, sorting and the inbox with two TUIs on one serve, tests/tui_tmux_triage.sh.
# Usage: DESK_BIN=path/to/desk bash tests/tui_tmux.sh
source "$(dirname "$0")/tmux/lib.sh"

"$BIN" --data "$DATA" init --demo --tickets 200 >/dev/null
NUM=$("$BIN" --data "$DATA" --json ticket create --title "Tmux printer jam" --company Contoso \
  --contact lisa@contoso.example --queue "Level 1" --source Phone \
  | sed -n 's/.*"number": *"\([^"]*\)".*/\1/p' | head -1)
[ -n "$NUM" ] || fail "could not create the ticket"
for i in 1 2 3; do
  "$BIN" --data "$DATA" --as kim@contoso.example portal submit --title "Tmux portal $i" \
    --issue-type "General question" >/dev/null
done

# --- a technician works a ticket ---
local_tui t anna
wait_for "All open"
wait_for "Client Portal"
$T send-keys -t t '/' ; wait_for "Filter"
type_text t 'status:new source:"Client Portal"'; $T send-keys -t t Enter
wait_for 'All open / status:new source:"Client Portal"'
find_ticket t "$NUM"
wait_for "Tmux printer jam"
wait_for "in Level 1 (provider desk)"
# an internal note; the audience says so in words
$T send-keys -t t n; wait_for "Note on $NUM"
wait_for "internal — staff only"
type_text t "typed in tmux"; $T send-keys -t t C-s
wait_for "saved $NUM"
wait_not "Note on $NUM"
# a long note in $EDITOR (here a script that appends a line), published after a review
$T send-keys -t t n; wait_for "Note on $NUM"
$T send-keys -t t C-e; wait_for "written in the editor"
$T send-keys -t t Tab Space; wait_for "PUBLISHED — the customer sees this"
$T send-keys -t t C-s; wait_for "Review: the customer sees this"
wait_for "Lisa Park (lisa@contoso.example), the contact of $NUM"
$T send-keys -t t y
wait_not "Note on $NUM"
# status: one down from New is In Progress
$T send-keys -t t s; wait_for "Status — $NUM"
$T send-keys -t t j Enter
wait_for "status      In Progress"
# a relative due date, shown resolved with its zone before it is saved
$T send-keys -t t d; wait_for "Due date of $NUM"
type_text t "+2d"; wait_for "→ Tue 2026-12-01 08:30 CET"
$T send-keys -t t Enter
wait_for "due         2026-12-01 08:30 CET"
# a typed note kept as a draft, across a restart
$T send-keys -t t n; wait_for "Note on $NUM"
type_text t "a draft that survives"; $T send-keys -t t Escape
wait_for "keep it as this ticket's draft"
$T send-keys -t t k; wait_for "kept as the draft of $NUM"
# help: every key of the panes without scrolling, the Taskfire menu among them; the
# query syntax on a page of its own
$T send-keys -t t '?'; wait_for "every key, the query"
wait_for "T4 delete (asks first)"; wait_for "Taskfire menu"; wait_for "mark every row"
$T send-keys -t t Tab Tab; wait_for "Query syntax"
$T send-keys -t t Escape
$T send-keys -t t ':'; wait_for "Commands"; $T send-keys -t t Escape
# a resize never breaks it
$T resize-window -t t -x 80 -y 24; wait_for "Queues"
$T resize-window -t t -x 160 -y 48; wait_for "History"
$T resize-window -t t -x 100 -y 30; wait_for "Queues"
$T send-keys -t t q
wait_gone

SHOW=$(show "$NUM")
echo "$SHOW" | has '"status": "In Progress"' || fail "status not saved: $SHOW"
echo "$SHOW" | has 'typed in tmux' || fail "note not saved"
echo "$SHOW" | has '"kind": "internal"' || fail "the note is not internal"
echo "$SHOW" | has '"kind": "published"' || fail "the editor note is not published"
echo "$SHOW" | has 'written in the editor' || fail "the editor text was not saved"
echo "$SHOW" | has '"due_at": "2026-12-01T07:30:00Z"' || fail "the due date: $SHOW"
echo "$SHOW" | has 'a draft that survives' && fail "the draft was sent"

# --- desk again: the draft is back; then the portal tickets triaged at once, and undone ---
local_tui t anna
wait_for "All open"
find_ticket t "$NUM"
$T send-keys -t t n; wait_for "a draft that survives"
wait_for "Your draft of this note is back"
# nothing typed since: esc closes without asking, and the draft stays
$T send-keys -t t Escape; wait_not "Note on $NUM"
$T send-keys -t t x; wait_not "Ticket $NUM"
KEYS=0
keys t BTab j j Enter               # the Client Portal queue (after All open, Inbox)
wait_line "Tmux portal 3" t
keys t '*' R                         # mark all, the triage form
wait_for "Triage 3 marked tickets"
keys t i Tab h Tab 2 Tab b e n Tab o Tab
type_text t "+2d"; KEYS=$((KEYS + 3))
wait_for "→ Tue 2026-12-01 08:30 CET"
keys t C-s; wait_for "Change 3 tickets?"
keys t y; wait_for "triage · 3 done, 0 refused, 0 conflicts"
echo "three portal tickets triaged in $KEYS keys"
[ "$KEYS" -le 30 ] || fail "triage took $KEYS keys"
for n in $("$BIN" --data "$DATA" ticket list --search "Tmux portal" 2>/dev/null | grep -o 'T[0-9]\{8\}\.[0-9]*'); do
  S=$(show "$n")
  for want in '"status": "In Progress"' '"priority": "High"' '"queue": "Level 2"' '"assigned": "ben"' '"work_type": "On-site Support"'; do
    echo "$S" | has -F "$want" || fail "$n lacks $want: $S"
  done
done
$T send-keys -t t Escape; wait_not "3 done"
$T send-keys -t t u; wait_for "undo of triage · 3 done"
$T send-keys -t t Escape
$T send-keys -t t q
wait_gone
"$BIN" --data "$DATA" ticket list --search "Tmux portal" --status New 2>/dev/null | grep -c "Tmux portal" | has 3 \
  || fail "the undo did not put the three back to New"

# --- ctrl-z: stopped like a shell's job, and back with fg ---
$T new-session -d -s z -x 100 -y 30 "env PS1='shell> ' bash --norc --noprofile -i"
wait_for "shell>" z
$T send-keys -t z "'$BIN' --data '$DATA' --as anna" Enter
wait_for "All open" z
$T send-keys -t z C-z
wait_for "shell>" z; wait_line "Stopped" z
$T send-keys -t z "fg" Enter
wait_for "All open" z
$T send-keys -t z q; wait_for "shell>" z
$T kill-session -t z

# --- a portal contact submits a ticket ---
local_tui t lisa@contoso.example
wait_for "My tickets"
$T send-keys -t t c; wait_for "New ticket"
type_text t "Tmux VPN drops"; $T send-keys -t t Tab Right Tab
type_text t "since Monday"; $T send-keys -t t C-s
wait_for "saved T"
$T send-keys -t t C-c
wait_gone
"$BIN" --data "$DATA" --as lisa@contoso.example portal list 2>/dev/null | has "Tmux VPN drops" \
  || fail "the portal ticket is not in the portal list"

echo "tmux journey: ok"
