"""Memory benchmark: what the emulator keeps per object, per card flow, per account and per
idempotent POST, in steady state.

    python scripts/bench_memory.py [--flows 5000] [--keys 50000] [--posts 15000]
                                   (`make bench-memory`)

1. Per object (in this process): `--objects` card flows (scripts/bench.py's flow, as raw
   requests) through an in-process `EmulatorApp`; the deep size of each of the account's
   collections divided by its count, and divided by the number of flows; for the compacted
   collections (stripe_emulator/compact.py) also what a live and a compacted object take.
2. Per flow (an emulator subprocess, `python -m stripe_emulator`): `--flows` flows through
   stripe-python to warm it up and fill every bounded structure (events, request log,
   idempotency keys), then N more, then N more: the growth of its resident memory (RSS) over
   the last N flows, divided by N, is the steady-state cost of a flow (target <= 4 KiB).
3. Unknown keys: `--keys` requests, each with a key nobody used before (each names an
   account), to a fresh emulator: RSS growth and the accounts it still holds.
4. Idempotency: `--posts` POSTs of one Customer update with ~22 KB of metadata, each under
   its own Idempotency-Key (stripe-python keys every POST), to a fresh emulator: RSS growth.

RSS is the figure a learner's machine feels; it includes the allocator's free lists, so small
differences (< 1 MiB) are noise.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import sys
import time
import urllib.parse
import uuid
from urllib.parse import urlsplit

from bench import flow, make_client
from bench_servers import EMULATOR, KEY, REQUEST_TIMEOUT, rss_mib, server

KIB, MIB = 1024, 1024 * 1024
COLLECTIONS = (
    "customers",
    "payment_methods",
    "setup_intents",
    "setup_attempts",
    "payment_intents",
    "charges",
    "events",
    "pms_by_customer",
    "attempts_by_setup_intent",
    "idempotency",
    "request_log",
    "request_ids",
)


# --- raw requests (faster than stripe-python when only the server's memory matters) ---------


class Raw:
    """One keep-alive connection to a server; `call` returns (status, parsed body)."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=REQUEST_TIMEOUT
        )

    def call(self, method: str, path: str, key: str = KEY, form: str = "") -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {key}"}
        if method == "POST":
            headers["Idempotency-Key"] = str(uuid.uuid4())
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=form.encode() or None, headers=headers)
        response = self.connection.getresponse()
        return response.status, json.loads(response.read())

    def close(self) -> None:
        self.connection.close()


# --- 1. per object, in this process --------------------------------------------------------


def _deep_size(obj, seen: set[int]) -> int:
    """Bytes reachable from `obj` not already counted in `seen` (classes and functions skipped)."""
    size, stack = 0, [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, type) or callable(item):
            continue
        seen.add(id(item))
        size += sys.getsizeof(item)
        stack.extend(gc.get_referents(item))
    return size


def _length(part) -> int:
    for attribute in ("_items", "_groups", "_seen"):
        if hasattr(part, attribute):
            return len(getattr(part, attribute))
    return len(part)


def _each(collection) -> tuple[float, float] | None:
    """(bytes per live object, bytes per compacted one) of a compact collection, else None."""
    items = getattr(collection, "_items", {})
    if not hasattr(collection, "cold_count") or not items:
        return None
    live, cold = [], []
    for key, item in items.items():
        if isinstance(item, bytes):
            cold.append(sys.getsizeof(item) + sys.getsizeof(key))
        elif hasattr(item, "blob"):
            refs = sys.getsizeof(item.refs) if item.refs else 0
            cold.append(sys.getsizeof(item) + sys.getsizeof(item.blob) + refs + sys.getsizeof(key))
        else:
            live.append(_deep_size(item, set()) + sys.getsizeof(key))
    return (sum(live) / max(1, len(live)), sum(cold) / max(1, len(cold)))


def per_object(flows: int) -> list[tuple[str, int, int, tuple[float, float] | None]]:
    """(collection, count, bytes, (bytes per live object, per compacted one) or None) of one
    account after `flows` in-process flows."""
    from stripe_emulator.app import EmulatorApp
    from stripe_emulator.http_io import Request

    app = EmulatorApp()
    headers = {b"authorization": f"Bearer {KEY}".encode(), b"host": b"127.0.0.1"}

    def call(method: str, path: str, form: str = "", query: str = "") -> dict:
        sent = dict(headers)
        if method == "POST":
            sent[b"idempotency-key"] = str(uuid.uuid4()).encode()
        done = app.handle(Request(method, path, query.encode(), form.encode(), sent))
        if done.response.status != 200:
            raise RuntimeError(f"{method} {path}: {done.response.status} {done.response.body!r}")
        return json.loads(done.response.body)

    for _ in range(flows):
        cus = call("POST", "/v1/customers")["id"]
        call(
            "POST",
            "/v1/setup_intents",
            f"customer={cus}&payment_method=pm_card_visa&confirm=true&usage=off_session"
            "&automatic_payment_methods[enabled]=true"
            "&automatic_payment_methods[allow_redirects]=never",
        )
        listed = call("GET", f"/v1/customers/{cus}/payment_methods", query="type=card")
        pm = listed["data"][0]["id"]
        call(
            "POST",
            "/v1/payment_intents",
            f"amount=1099&currency=usd&customer={cus}&payment_method={pm}"
            "&off_session=true&confirm=true",
        )
    account = app.store.account(KEY.split("_", 2)[2])
    account.compact()  # as the served app does after each response
    seen: set[int] = {id(account.clock), id(account.lock)}
    return [
        (name, _length(part), _deep_size(part, seen), _each(part))
        for name, part in ((name, getattr(account, name)) for name in COLLECTIONS)
    ]


# --- 2-4. subprocesses -----------------------------------------------------------------------


def per_flow(flows: int) -> tuple[float, float, float, float]:
    """RSS (MiB) at start and after N (the warm-up), 2N and 3N flows."""
    with server([*EMULATOR, "--quiet"], "/_emulator/health") as (base_url, process, _):
        client = make_client(base_url)
        started = rss_mib(process.pid)
        marks = []
        for _ in range(3):
            for _ in range(flows):
                flow(client, [])
            marks.append(rss_mib(process.pid))
    return started, *marks


def unknown_keys(keys: int) -> tuple[float, float, int]:
    """RSS before and after `keys` requests with fresh keys, and the accounts then held."""
    with server([*EMULATOR, "--quiet"], "/_emulator/health") as (base_url, process, _):
        raw = Raw(base_url)
        raw.call("GET", "/v1/customers")
        before = rss_mib(process.pid)
        for number in range(keys):
            status, _ = raw.call("GET", "/v1/customers?limit=1", key=f"sk_test_visitor{number}")
            if status != 200:
                raise RuntimeError(f"unknown key {number}: {status}")
        after = rss_mib(process.pid)
        _, health = raw.call("GET", "/_emulator/health")
        raw.close()
    return before, after, health["accounts"]


def large_posts(posts: int) -> tuple[float, float, int]:
    """RSS before and after `posts` keyed updates of one Customer; the body size."""
    metadata = {f"key{n:02}": f"{n:02}" * 250 for n in range(44)}  # 44 x 500 characters
    form = urllib.parse.urlencode({f"metadata[{k}]": v for k, v in metadata.items()})
    with server([*EMULATOR, "--quiet"], "/_emulator/health") as (base_url, process, _):
        raw = Raw(base_url)
        _, customer = raw.call("POST", "/v1/customers", form=form)
        path = f"/v1/customers/{customer['id']}"
        before = rss_mib(process.pid)
        for number in range(posts):
            status, _ = raw.call("POST", path, form=form)
            if status != 200:
                raise RuntimeError(f"post {number}: {status}")
        after = rss_mib(process.pid)
        raw.close()
    return before, after, len(form)


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=3000, help="in-process flows (1.)")
    parser.add_argument("--flows", type=int, default=5000, help="N: flows per step (2.)")
    parser.add_argument("--keys", type=int, default=50_000, help="unknown keys (3.)")
    parser.add_argument("--posts", type=int, default=15_000, help="large keyed POSTs (4.)")
    args = parser.parse_args(argv)

    print(f"Link Lab memory benchmark (python {sys.version.split()[0]})")
    print(f"\n1. per object: one account after {args.objects:,} in-process card flows")
    print(
        f"{'':26}{'count':>8}{'KiB':>10}{'B each':>9}{'B/flow':>9}{'B live':>9}{'B compacted':>13}"
    )
    total = 0
    for name, count, size, split in per_object(args.objects):
        total += size
        each = size / count if count else 0
        kept = f"{split[0]:>9,.0f}{split[1]:>13,.0f}" if split else ""
        print(
            f"{name:26}{count:>8,}{size / KIB:>10,.0f}{each:>9,.0f}{size / args.objects:>9,.0f}"
            + kept
        )
    print(f"{'all':26}{'':>8}{total / KIB:>10,.0f}{'':>9}{total / args.objects:>9,.0f}")

    n = args.flows
    t0 = time.perf_counter()
    started, warm, mid, end = per_flow(n)
    seconds = time.perf_counter() - t0
    steady = (end - mid) * KIB / n
    print(
        f"\n2. per flow: emulator subprocess, {3 * n:,} card flows via stripe-python ({seconds:.0f} s)"
    )
    print(f"   RSS: start {started:.1f} MiB, after {n:,} flows (warm-up) {warm:.1f} MiB,")
    print(f"        after {2 * n:,} {mid:.1f} MiB, after {3 * n:,} {end:.1f} MiB")
    met = "met" if steady <= 4 else "MISSED"
    print(f"   steady state: {steady:.1f} KiB per flow (target <= 4 KiB: {met});")
    print(f"   whole run: {(end - started) * KIB / (3 * n):.1f} KiB per flow")

    before, after, accounts = unknown_keys(args.keys)
    print(f"\n3. {args.keys:,} unknown keys: RSS {before:.1f} -> {after:.1f} MiB "
          f"(+{after - before:.1f} MiB, {(after - before) * MIB / args.keys:,.0f} B per key); "
          f"accounts held: {accounts:,}")  # fmt: skip

    before, after, size = large_posts(args.posts)
    print(f"\n4. {args.posts:,} keyed POSTs of {size / 1000:.0f} KB: RSS {before:.1f} -> "
          f"{after:.1f} MiB (+{after - before:.1f} MiB)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
