#!/usr/bin/env bash
# Times whole `desk` commands on a 1,000,000-ticket demo store (issue 2's targets).
# Usage: benches/commands.sh [STORE_DIR]   (default /tmp/desk-bench-1m; made if absent)
# Needs hyperfine (apt-get install hyperfine) and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/desk-bench-1m}
export DESK_NOW=2026-11-29T10:00:00Z
cargo build --release --quiet
desk=${DESK:-${CARGO_TARGET_DIR:-$PWD/target}/release/desk}

if [ ! -f "$dir/desk.sqlite3" ]; then
  echo "== generating 1,000,000 tickets into $dir"
  /usr/bin/time -f "init --demo --tickets 1000000: %e s wall, %M KB peak" \
    "$desk" --data "$dir" init --demo --tickets 1000000
fi
# Work on a copy so that `create` runs do not grow the reference store.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$dir/desk.sqlite3" "$work/"

hyperfine --style basic --warmup 3 --runs 30 --export-json "$work/runs.json" \
  -n 'ticket list --queue "Level 1" --limit 100 --json' "$desk --data $work ticket list --queue 'Level 1' --limit 100 --json" \
  -n 'ticket list --search printer --limit 100 --json' "$desk --data $work ticket list --search printer --limit 100 --json" \
  -n 'ticket list --search "vpn slow" --limit 100 --json' "$desk --data $work ticket list --search 'vpn slow' --limit 100 --json" \
  -n 'ticket create --title Bench' "$desk --data $work ticket create --title Bench --company Contoso --json" \
  -n 'ticket list --sort due --limit 100 --json' "$desk --data $work ticket list --sort due --limit 100 --json" \
  -n 'ticket list --sort due --open --limit 100 --json' "$desk --data $work ticket list --sort due --open --limit 100 --json" \
  -n 'ticket list --sort due --queue "Level 1" --open --limit 100 --json' "$desk --data $work ticket list --sort due --queue 'Level 1' --open --limit 100 --json" \
  -n 'ticket list --unseen --sort due --limit 100 --json' "$desk --data $work ticket list --unseen --sort due --limit 100 --json" \
  -n 'ticket count --open --priority high,critical' "$desk --data $work ticket count --open --priority high,critical" \
  -n 'ticket count (every ticket)' "$desk --data $work ticket count" \
  -n 'queues --json' "$desk --data $work queues --json" \
  -n 'portal list (manager) --json' "$desk --data $work --as lisa@contoso.example portal list --json" 2>/dev/null
python3 - "$work/runs.json" <<'PY'
import json, sys
print("| command | median | min | max |")
print("| --- | --- | --- | --- |")
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"| `desk {r['command']}` | {r['median']*1000:.1f} ms | {r['min']*1000:.1f} ms | {r['max']*1000:.1f} ms |")
PY

echo
echo "== peak memory (GNU time, max RSS)"
peak() { /usr/bin/time -f "%M KB  desk $*" "$desk" --data "$work" "$@" >/dev/null 2>"$work/time.txt"; tail -n 1 "$work/time.txt"; }
peak ticket list --queue "Level 1" --limit 100 --json
peak ticket list --search printer --limit 100 --json
peak ticket list --limit 1000 --json
