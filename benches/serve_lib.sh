# Shared by the benchmark scripts that start `desk serve` and load it with wrk
# (stores.sh, sizes.sh); sourced, not run. Needs DESK, WORK and an array PIDS.

# serve STORE-ARGS...: starts `desk serve` on a free loopback port, prints its URL; the
# pid goes to PIDS (the caller's cleanup stops them).
serve() {
  local out="$WORK/serve.$RANDOM"
  "$DESK" "$@" serve --listen 127.0.0.1:0 >"$out" 2>"$out.err" &
  PIDS+=($!)
  for _ in $(seq 300); do grep -q listening "$out" && break; sleep 0.1; done
  sed -n 's/.*listening on //p' "$out"
}

# Requests/s, p50 and p99 of a wrk run (with --latency), and its errors if any.
summary() {
  awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx|Socket errors/ {err=$0}
       END {printf "%9s req/s  p50 %8s  p99 %8s  %s\n", rps, p50, p99, err}'
}
