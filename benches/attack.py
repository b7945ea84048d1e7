#!/usr/bin/env python3
"""The attacks of issue 9 against a running `desk serve` on loopback, each bounded in
count and time, with a bystander measured meanwhile (BENCHMARKS.md, "desk serve under
attack"). Loopback only: the server URL must be on 127.0.0.0/8, and the attackers use
the addresses 127.0.0.2 and up (all of 127.0.0.0/8 is loopback on Linux); the bystander
is 127.0.0.1.

  benches/attack.py URL ATTACKER_TOKEN BYSTANDER_TOKEN feeds  [--count 1030]
  benches/attack.py URL - BYSTANDER_TOKEN idle   [--count 1000] [--addresses 8] [--seconds 20]
  benches/attack.py URL ATTACKER_TOKEN BYSTANDER_TOKEN bodies [--count 200]

`feeds`: opens COUNT change feeds with one token and keeps them; `idle`: keeps COUNT
connections open from ADDRESSES addresses for SECONDS, half silent and half after one
request, opening a new one whenever the server closes one (as a flood would); `bodies`:
COUNT requests whose body stalls after a few bytes, half with a garbage token. Meanwhile
the bystander makes a request on a new connection every 50 ms; its latencies are
printed as p50/p99/max, with how many were not answered within 3 s.
"""

import argparse
import asyncio
import ipaddress
import socket
import statistics
import subprocess
import sys
import time
from urllib.parse import urlparse

BYSTANDER_WAIT = 3.0


async def connect(host, port, source):
    return await asyncio.open_connection(host, port, local_addr=(source, 0))


async def read_head(reader, timeout):
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    return int(head.split(b" ", 2)[1])


def get(path, token):
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return f"GET {path} HTTP/1.1\r\nHost: desk\r\n{auth}\r\n".encode()


def bystander(host, port, token, seconds):
    """A request on a new connection every 50 ms for `seconds`; latency to the answer.
    Its own process, with blocking sockets: the attack's event loop must not delay it
    (at 1,000 connections, that loop alone added seconds)."""
    latencies, missed = [], []
    end = time.monotonic() + seconds
    request = get("/api/v1/me", token)
    while time.monotonic() < end:
        started = time.monotonic()
        try:
            with socket.create_connection((host, port), BYSTANDER_WAIT, ("127.0.0.1", 0)) as s:
                s.settimeout(max(BYSTANDER_WAIT - (time.monotonic() - started), 0.01))
                s.sendall(request)
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = s.recv(4096)
                    if not chunk:
                        raise ConnectionError("closed")
                    head += chunk
            status = int(head.split(b" ", 2)[1])
            if status == 200:
                latencies.append(time.monotonic() - started)
            else:
                missed.append(f"HTTP {status}")
        except (OSError, ConnectionError) as e:
            missed.append(type(e).__name__)
        time.sleep(0.05)
    report(latencies, missed)


def report(latencies, missed):
    if latencies:
        ms = sorted(x * 1000 for x in latencies)
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        print(
            f"bystander: {len(ms)} answered, p50 {statistics.median(ms):.1f} ms, "
            f"p99 {p99:.1f} ms, max {ms[-1]:.1f} ms; {len(missed)} not answered within "
            f"{BYSTANDER_WAIT:.0f} s or refused"
        )
    else:
        print(f"bystander: none answered; {len(missed)} failures: {missed[:5]}")


async def feeds(host, port, token, count, held):
    statuses = {}
    for _ in range(count):
        try:
            r, w = await asyncio.wait_for(connect(host, port, "127.0.0.2"), 5)
            w.write(get("/api/v1/events", token))
            await w.drain()
            status = await read_head(r, 5)
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                held.append(w)
            else:
                w.close()
        except (asyncio.TimeoutError, OSError, asyncio.IncompleteReadError) as e:
            key = type(e).__name__
            statuses[key] = statuses.get(key, 0) + 1
    print(f"feeds: {count} asked with one token: {statuses}")


async def idle(host, port, count, addresses, seconds, stop):
    """Keeps `count` connections open from `addresses` addresses until `stop`."""
    opened = [0]
    closed_by_server = [0]

    async def one(source, talk):
        while not stop.is_set():
            try:
                r, w = await asyncio.wait_for(connect(host, port, source), 5)
                opened[0] += 1
                if talk:
                    w.write(get("/api/v1/openapi.json", None))
                    await w.drain()
                    await read_head(r, 5)
                # Hold it until the server closes it, or the run ends.
                done = asyncio.ensure_future(r.read())
                stopping = asyncio.ensure_future(stop.wait())
                await asyncio.wait({done, stopping}, return_when=asyncio.FIRST_COMPLETED)
                stopping.cancel()
                if done.done():
                    closed_by_server[0] += 1
                else:
                    done.cancel()
                w.close()
            except (asyncio.TimeoutError, OSError, asyncio.IncompleteReadError):
                await asyncio.sleep(0.05)

    sources = [f"127.0.0.{2 + i % addresses}" for i in range(count)]
    tasks = [asyncio.ensure_future(one(s, i % 2 == 1)) for i, s in enumerate(sources)]
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(
        f"idle: {count} held from {addresses} addresses for {seconds} s: "
        f"{opened[0]} connections opened, {closed_by_server[0]} closed by the server"
    )


async def bodies(host, port, token, count):
    results = {}
    waits = []

    async def one(i):
        t = token if i % 2 == 0 else "desk_garbage"
        started = time.monotonic()
        try:
            r, w = await asyncio.wait_for(connect(host, port, f"127.0.0.{2 + i % 8}"), 5)
            w.write(
                (
                    "POST /api/v1/tickets HTTP/1.1\r\nHost: desk\r\n"
                    f"Authorization: Bearer {t}\r\nContent-Type: application/json\r\n"
                    'Content-Length: 1000\r\n\r\n{"title": "st'
                ).encode()
            )
            await w.drain()
            status = await read_head(r, 40)
            key = ("valid token" if i % 2 == 0 else "garbage token", status)
            results[key] = results.get(key, 0) + 1
            waits.append((key, time.monotonic() - started))
            w.close()
        except (asyncio.TimeoutError, OSError, asyncio.IncompleteReadError) as e:
            key = ("valid token" if i % 2 == 0 else "garbage token", type(e).__name__)
            results[key] = results.get(key, 0) + 1

    await asyncio.gather(*(one(i) for i in range(count)))
    by_key = {}
    for key, wait in waits:
        by_key.setdefault(key, []).append(wait)
    for key, ws in sorted(by_key.items(), key=str):
        print(f"bodies: {key[0]}: HTTP {key[1]} x{len(ws)}, answered after median {statistics.median(ws):.2f} s, max {max(ws):.2f} s")
    others = {k: v for k, v in results.items() if not isinstance(k[1], int)}
    if others:
        print(f"bodies: not answered: {others}")


async def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("url")
    p.add_argument("attacker_token")
    p.add_argument("bystander_token")
    p.add_argument("attack", choices=["feeds", "idle", "bodies", "bystander"])
    p.add_argument("--count", type=int)
    p.add_argument("--addresses", type=int, default=8)
    p.add_argument("--seconds", type=float, default=20)
    a = p.parse_args()
    u = urlparse(a.url)
    if not ipaddress.ip_address(u.hostname) in ipaddress.ip_network("127.0.0.0/8"):
        sys.exit("the server must be on loopback (127.0.0.0/8)")
    host, port = u.hostname, u.port
    if a.attack == "bystander":
        bystander(host, port, a.bystander_token, a.seconds)
        return
    stop = asyncio.Event()
    # The bystander runs for the attack's length, plus the time to set the attack up.
    seconds = a.seconds if a.attack == "idle" else 40
    watcher = subprocess.Popen(
        [sys.executable, __file__, a.url, "-", a.bystander_token, "bystander", "--seconds", str(seconds)]
    )
    held = []
    if a.attack == "feeds":
        await feeds(host, port, a.attacker_token, a.count or 1030, held)
    elif a.attack == "idle":
        await idle(host, port, a.count or 1000, a.addresses, a.seconds, stop)
    else:
        await bodies(host, port, a.attacker_token, a.count or 200)
    # The feeds stay open while the bystander goes on.
    await asyncio.get_running_loop().run_in_executor(None, watcher.wait)
    for w in held:
        w.close()


if __name__ == "__main__":
    asyncio.run(main())
