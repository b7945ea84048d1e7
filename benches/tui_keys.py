#!/usr/bin/env python3
"""Key to changed screen, measured from outside the app: send a key with tmux, then read
the screen with `tmux capture-pane` until it shows what the key asked for. Usage (from
benches/tui_keys.sh): tui_keys.py SOCKET SESSION DESK STORE ROUNDS

Each scenario's figure is the time from send-keys returning to the first capture that
shows the wanted rows (the expected first ticket, from the CLI): the app's work, the
frame, tmux's own parsing, and up to one capture-pane round (about 2 ms here) of polling.
"""
import re
import statistics
import subprocess
import sys
import time

sock, session, desk, store, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
TMUX = ["tmux", "-L", sock]
NUM = re.compile(r"T\d{8}\.\d{4}(?:\.\d{3})?")


def capture():
    return subprocess.run(TMUX + ["capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


def send(*keys, literal=False):
    cmd = TMUX + ["send-keys", "-t", session] + (["-l"] if literal else []) + list(keys)
    subprocess.run(cmd, check=True)


def first_row(screen):
    """The number of the list's first row: the line after the list's header."""
    lines = screen.splitlines()
    for i, line in enumerate(lines):
        if " number" in line and "title" in line:
            for l in lines[i + 1:i + 2]:
                m = NUM.search(l)
                return m.group(0) if m else None
    return None


def selected(screen):
    """The number in the detail pane's title: the selected ticket."""
    m = re.search(r"┌(T\d{8}\.\d{4}(?:\.\d{3})?)─", screen)
    return m.group(1) if m else None


def wait(pred, t0=None, timeout=10.0):
    """Seconds from `t0` (or now) until a capture satisfies `pred`."""
    t0 = t0 if t0 is not None else time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        s = capture()
        if pred(s):
            return time.perf_counter() - t0
    raise SystemExit(f"timed out; the screen:\n{capture()}")


def cli(*args):
    out = subprocess.run([desk, "--data", store, "--json"] + list(args), capture_output=True, text=True, check=True).stdout
    m = NUM.search(out)
    return m.group(0) if m else None


def measure(name, rounds, step):
    ms = []
    for i in range(rounds):
        ms.append(step(i) * 1000)
    ms.sort()
    print(f"{name}: median {statistics.median(ms):.1f} ms, p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, "
          f"min {ms[0]:.1f} ms, max {ms[-1]:.1f} ms over {len(ms)} keys")


wait(lambda s: first_row(s) is not None, timeout=60)

# What one look at the screen costs (the polling's own share of every figure below).
looks = []
for _ in range(20):
    t0 = time.perf_counter()
    capture()
    looks.append((time.perf_counter() - t0) * 1000)
print(f"one capture-pane: median {statistics.median(looks):.1f} ms")

# Moving: j and k, the selection (the detail's title) follows.
def move(i):
    before = selected(capture())
    t0 = time.perf_counter()
    send("j" if i % 2 == 0 else "k")
    return wait(lambda s: selected(s) not in (None, before), t0)


measure("moving (j/k)", rounds, move)

# Sorting by due over the whole query: O flips sort:due and sort:-due; the first row is
# the backend's first of the whole open list in that order.
asc = cli("ticket", "list", "--open", "--sort", "due", "--limit", "1")
desc = cli("ticket", "list", "--open", "--sort", "-due", "--limit", "1")
send("o")  # from the default (newest first) to sort:due
wait(lambda s: first_row(s) == asc and "by due▲" in s)


def sort(i):
    want, arrow = (desc, "▼") if i % 2 == 0 else (asc, "▲")
    t0 = time.perf_counter()
    send("O")
    return wait(lambda s: first_row(s) == want and f"by due{arrow}" in s, t0)


measure("sorting by due (O: due <-> -due, 1M tickets)", rounds, sort)
send("x")  # clear the filter (the sort) again

# Applying a filter: the bar is opened and typed into beforehand; the time is of Enter.
queries = [
    ("company:contoso status:new", ["--company", "Contoso", "--status", "New"]),
    ("company:fabrikam priority:critical", ["--company", "Fabrikam", "--priority", "Critical", "--open"]),
]
wants = [cli("ticket", "list", "--limit", "1", *args) for _, args in queries]


def apply(i):
    q, _ = queries[i % 2]
    want = wants[i % 2]
    send("/")
    wait(lambda s: "Filter" in s)
    send("C-u")
    send(q, literal=True)
    # the bar's input line: the list's title also names the last query applied
    wait(lambda s: f"> {q}" in s)
    t0 = time.perf_counter()
    send("Enter")
    return wait(lambda s: first_row(s) == want and "Filter ·" not in s, t0)


for k, (q, _) in enumerate(queries):
    measure(f"applying a filter: {q} (Enter, 1M tickets)", rounds // 2, lambda i, k=k: apply(2 * i + k))

# The same keys as the app saw them (DESK_TRACE_FRAMES): from the key reaching the app
# to the frame drawn, for moving the next frame, for sorting and filtering the first
# frame that shows the list they asked for (its page count moved).
if len(sys.argv) > 6:
    lines = [l.split() for l in open(sys.argv[6]) if l.strip()]
    spans = {"j/k -> next frame": [], "O -> frame with the list sorted": []}
    pending = None
    last_loads = 0
    typed = ""
    for l in lines:
        t = int(l[0])
        if l[1] == "key":
            key = l[2] if len(l) > 2 else "?"
            pending = (t, key, last_loads)
            if key == "/":
                typed = ""
            elif len(key) == 1:
                typed += key
            elif key == "space":
                typed += " "
        elif l[1] == "frame":
            now_loads = int(l[3]) if len(l) > 3 else 0
            last_loads = now_loads
            if pending is None:
                continue
            start, key, loads = pending
            if key in ("j", "k"):
                spans["j/k -> next frame"].append((t - start) / 1000)
                pending = None
            elif key in ("O", "enter"):
                if now_loads != loads:
                    name = "O -> frame with the list sorted" if key == "O" else f"enter ({typed}) -> frame with the list filtered"
                    spans.setdefault(name, []).append((t - start) / 1000)
                    pending = None
            else:
                pending = None
    for k, v in spans.items():
        if v:
            v.sort()
            print(f"inside the app, {k}: median {statistics.median(v):.2f} ms, "
                  f"p95 {v[int(len(v) * 0.95) - 1]:.2f} ms, max {v[-1]:.2f} ms over {len(v)}")
