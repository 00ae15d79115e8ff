"""Benchmark: one account filled with 100,000 objects; are create, retrieve and a customer's
payment-method list still as fast as in an empty one?

    python scripts/bench_scale.py [--objects 100000] [--samples 300] [--check]   (`make bench-scale`)

One emulator subprocess (`python -m stripe_emulator --quiet`), one account, raw HTTP/1.1 with
keep-alive (http.client: the client adds as little as possible to each figure). The account is
filled in rounds; each round stores four objects: a Customer, and a SetupIntent confirmed with
`pm_card_visa` for one shared customer ("the big customer"), which stores a PaymentMethod attached
to it and a SetupAttempt (and events, not counted). At every checkpoint (1k, 10k, 50k, 100k
objects by default) it times, `--samples` times each:

- create:   POST /v1/customers
- retrieve: GET /v1/customers/{id} of a customer picked at random among all stored
- list:     GET /v1/customers/{big}/payment_methods (first page of 10, newest first), the big
            customer having a quarter of all objects as its payment methods
- page 2:   the same list with `starting_after` the first page's last id

and prints p50/p99 per operation and checkpoint, and each p50 at the last checkpoint over the
first ("flat": within 1.5x, i.e. O(1) or O(own page), not O(objects); `--check` exits 1
otherwise). Also: the emulator's
resident memory at each checkpoint and per stored object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import time

from bench import percentile
from bench_servers import EMULATOR, KEY, REQUEST_TIMEOUT, rss_mib, server

OBJECTS_PER_ROUND = 4  # customer + SetupIntent + PaymentMethod + SetupAttempt
FLAT = 1.5  # last checkpoint's p50 over the first's: at most this to count as flat
OPERATIONS = ("create", "retrieve", "list", "page 2")


class Client:
    """Form-encoded API calls over one keep-alive connection."""

    def __init__(self, base_url: str) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=REQUEST_TIMEOUT)
        self.headers = {
            "Authorization": f"Bearer {KEY}",
            "Content-Type": "application/x-www-form-urlencoded",
        }

    def call(self, method: str, path: str, form: str = "") -> dict:
        body = form.encode() if method == "POST" else None
        self.connection.request(method, path, body=body, headers=self.headers)
        response = self.connection.getresponse()
        payload = json.loads(response.read())
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: {response.status} {payload}")
        return payload

    def timed(self, method: str, path: str, form: str = "") -> tuple[float, dict]:
        started = time.perf_counter()
        payload = self.call(method, path, form)
        return time.perf_counter() - started, payload


def fill_round(client: Client, big: str, customers: list[str]) -> None:
    customers.append(client.call("POST", "/v1/customers")["id"])
    client.call(
        "POST",
        "/v1/setup_intents",
        f"customer={big}&payment_method=pm_card_visa&confirm=true"
        "&automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never",
    )


def measure(client: Client, big: str, customers: list[str], samples: int, rng) -> dict:
    """Seconds per call, `samples` of each operation (creates add to `customers`)."""
    times: dict[str, list[float]] = {name: [] for name in OPERATIONS}
    list_path = f"/v1/customers/{big}/payment_methods"
    for _ in range(samples):
        seconds, created = client.timed("POST", "/v1/customers")
        times["create"].append(seconds)
        customers.append(created["id"])
        seconds, _ = client.timed("GET", f"/v1/customers/{rng.choice(customers)}")
        times["retrieve"].append(seconds)
        seconds, first = client.timed("GET", list_path)
        times["list"].append(seconds)
        assert len(first["data"]) == 10 and first["has_more"], first
        seconds, second = client.timed(
            "GET", f"{list_path}?starting_after={first['data'][-1]['id']}"
        )
        times["page 2"].append(seconds)
        assert second["data"][0]["id"] != first["data"][0]["id"]
    return times


def checkpoints(total: int) -> list[int]:
    marks = [m for m in (1_000, 10_000, 50_000, 100_000) if m < total]
    return marks + [total]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=100_000, help="objects at the end")
    parser.add_argument("--samples", type=int, default=300, help="timed calls per operation")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="exit 1 if a curve is not flat")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    marks = checkpoints(args.objects)
    rows: list[tuple[int, dict, float, float]] = []
    started = time.perf_counter()
    with server([*EMULATOR, "--quiet"], "/_emulator/health") as (base_url, process, _):
        client = Client(base_url)
        client.call("POST", "/_emulator/reset")
        big = client.call("POST", "/v1/customers", "email=big%40example.com")["id"]
        customers: list[str] = [big]
        stored = 1
        rss_empty = rss_mib(process.pid)
        for mark in marks:
            while stored < mark:
                fill_round(client, big, customers)
                stored += OBJECTS_PER_ROUND
            fill_seconds = time.perf_counter() - started
            times = measure(client, big, customers, args.samples, rng)
            stored += args.samples  # the timed creates
            rows.append((stored, times, rss_mib(process.pid), fill_seconds))
            print(f"  {stored:>9,} objects after {fill_seconds:6.1f} s", file=sys.stderr)

    ms = 1000
    print(
        f"Link Lab scale benchmark: one account, up to {rows[-1][0]:,} objects "
        f"(customers; SetupIntents, PaymentMethods and SetupAttempts of one customer); "
        f"{args.samples} calls per operation and checkpoint, raw HTTP keep-alive"
    )
    header = f"{'objects':>9}" + "".join(f"{name + ' p50/p99 ms':>24}" for name in OPERATIONS)
    print(header + f"{'RSS MiB':>10}")
    for stored, times, rss, _ in rows:
        cells = "".join(
            f"{f'{percentile(times[n], 0.5) * ms:.2f} / {percentile(times[n], 0.99) * ms:.2f}':>24}"
            for n in OPERATIONS
        )
        print(f"{stored:>9,}{cells}{rss:>10.1f}")
    flat = True
    for name in OPERATIONS:
        first, last = (percentile(row[1][name], 0.5) for row in (rows[0], rows[-1]))
        ratio = last / first
        flat &= ratio <= FLAT
        verdict = "flat" if ratio <= FLAT else "NOT FLAT"
        print(f"{name + ' p50, last / first':28}{ratio:>8.2f}   ({verdict}: target <= {FLAT})")
    per_object = (rows[-1][2] - rss_empty) * 1024 / rows[-1][0]
    print(
        f"{'memory per object':28}{per_object:>8.2f} KiB   (RSS growth / objects, events included)"
    )
    return 1 if args.check and not flat else 0


if __name__ == "__main__":
    sys.exit(main())
