#!/usr/bin/env bash
# Key to changed screen in the TUI on a 1,000,000-ticket desk, measured from outside the
# app through tmux (send-keys, then capture-pane until the screen shows the result):
# moving, sorting by due over the whole query, applying a filter.
# Usage: benches/tui_keys.sh [STORE_DIR] [ROUNDS]. Needs tmux and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/desk-bench-1m}
rounds=${2:-60}
export DESK_NOW=2026-11-29T10:00:00Z NO_COLOR=1
cargo build --release --quiet
desk=${DESK:-${CARGO_TARGET_DIR:-$PWD/target}/release/desk}
if [ ! -f "$dir/desk.sqlite3" ]; then
  "$desk" --data "$dir" init --demo --tickets 1000000
fi
work=$(mktemp -d)
sock="deskkeys-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
tmux -L "$sock" new -d -s k -x 160 -y 48 \
  "DESK_TRACE_FRAMES=$work/frames.txt DESK_CONFIG=$work/config.toml $desk --data $dir --as anna"
python3 benches/tui_keys.py "$sock" k "$desk" "$dir" "$rounds" "$work/frames.txt"
tmux -L "$sock" send-keys -t k q
