#!/usr/bin/env bash
# A company filter's page and count (the TUI's `company:fabrikam priority:critical`),
# and what a new ticket costs, as whole commands on a 1,000,000-ticket store: the figures
# before and after the index of a company's open tickets (docs/lists.md, "A company's
# open tickets"). `ticket create` writes into STORE_DIR: give it a scratch copy.
# Usage: DESK=path/to/desk benches/company_filter.sh STORE_DIR [RUNS]
# Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
dir=${1:?usage: DESK=path/to/desk benches/company_filter.sh STORE_DIR [RUNS]}
runs=${2:-30}
desk=${DESK:?set DESK to the desk binary (a release build)}
export DESK_NOW=2026-11-29T10:00:00Z
json=$(mktemp)
trap 'rm -f "$json" "$json.update"' EXIT
# Opening the store first: an upgrade it needs is not timed with the commands.
"$desk" --data "$dir" queues >/dev/null
uptime
hyperfine --style basic --warmup 3 --runs "$runs" --export-json "$json" \
  -n 'ticket list --company Fabrikam --priority Critical --open --limit 62' \
     "$desk --data $dir --json ticket list --company Fabrikam --priority Critical --open --limit 62" \
  -n 'ticket count --company Fabrikam --priority Critical --open' \
     "$desk --data $dir ticket count --company Fabrikam --priority Critical --open" \
  -n 'ticket list --company Contoso --status New --limit 62' \
     "$desk --data $dir --json ticket list --company Contoso --status New --limit 62" \
  -n 'ticket count --company Contoso --status New' \
     "$desk --data $dir ticket count --company Contoso --status New" \
  -n 'ticket list --open --limit 62 (no filter, for scale)' \
     "$desk --data $dir --json ticket list --open --limit 62" \
  -n 'ticket create --title Bench --company Fabrikam' \
     "$desk --data $dir ticket create --title Bench --company Fabrikam --json" \
  >/dev/null
# A change of a field the index holds, on an open ticket (set back before each run).
n=$("$desk" --data "$dir" ticket list --company Fabrikam --open --limit 1 | grep -o 'T[0-9]*\.[0-9]*' | head -1)
hyperfine --style basic --warmup 2 --runs "$runs" --export-json "$json.update" \
  --prepare "$desk --data $dir ticket update $n --priority Low" \
  -n 'ticket update --priority High (an open ticket)' "$desk --data $dir ticket update $n --priority High" \
  >/dev/null
python3 - "$json" <<'PY'
import json, sys
print("| command | median | min | max |")
print("| --- | --- | --- | --- |")
for r in json.load(open(sys.argv[1]))["results"] + json.load(open(sys.argv[1] + ".update"))["results"]:
    print(f"| `desk {r['command']}` | {r['median']*1000:.1f} ms | {r['min']*1000:.1f} ms | {r['max']*1000:.1f} ms |")
PY
uptime
