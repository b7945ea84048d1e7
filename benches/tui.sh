#!/usr/bin/env bash
# The TUI on a 1,000,000-ticket desk, in a real terminal (tmux): time to the first frame
# and to the first frame with tickets, key press -> next frame while moving through the
# list, and peak memory. Usage: benches/tui.sh [STORE_DIR] [KEYS]
# Needs tmux and python3. Frames are traced by the app itself (DESK_TRACE_FRAMES).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/desk-bench-1m}
keys=${2:-300}
export DESK_NOW=2026-11-29T10:00:00Z
cargo build --release --quiet
desk=${DESK:-${CARGO_TARGET_DIR:-$PWD/target}/release/desk}
if [ ! -f "$dir/desk.sqlite3" ]; then
  "$desk" --data "$dir" init --demo --tickets 1000000
fi
work=$(mktemp -d)
trap 'tmux kill-session -t deskbench 2>/dev/null || true; rm -rf "$work"' EXIT
trace=$work/frames.txt
tmux kill-session -t deskbench 2>/dev/null || true
tmux new -d -s deskbench -x 160 -y 48 \
  "DESK_TRACE_FRAMES=$trace DESK_CONFIG=$work/config.toml $desk --data $dir; sleep 5"
# Wait (bounded) for a frame that shows tickets.
for _ in $(seq 200); do
  grep -qE 'frame [1-9]' "$trace" 2>/dev/null && break
  sleep 0.05
done
pid=$(pgrep -n -f "$desk --data $dir" || true)
# Move down the list one key at a time, so that each key gets a frame of its own.
for _ in $(seq "$keys"); do
  tmux send-keys -t deskbench j
  sleep 0.03
done
sleep 0.5
hwm=$(grep VmHWM "/proc/$pid/status" 2>/dev/null | awk '{print $2}' || echo "?")
tmux send-keys -t deskbench q
python3 - "$trace" "$hwm" <<'PY'
import statistics, sys
lines = [l.split() for l in open(sys.argv[1])]
frames = [(int(l[0]), int(l[2])) for l in lines if l[1] == "frame"]
first = frames[0][0] / 1000
loaded = next(t for t, n in frames if n > 0) / 1000
lat = []
pending = None
for l in lines:
    t = int(l[0])
    if l[1] == "key":
        pending = t
    elif l[1] == "frame" and pending is not None:
        lat.append((t - pending) / 1000)
        pending = None
lat.sort()
print(f"first frame: {first:.1f} ms after start")
print(f"first frame with tickets: {loaded:.1f} ms after start")
print(f"key -> next frame over {len(lat)} keys: median {statistics.median(lat):.2f} ms, "
      f"p95 {lat[int(len(lat) * 0.95) - 1]:.2f} ms, max {lat[-1]:.2f} ms")
print(f"peak memory (VmHWM): {int(sys.argv[2]) / 1024:.1f} MB" if sys.argv[2].isdigit() else "peak memory: unknown")
PY
