"""Benchmark: the guide's card flow through stripe-python, emulator vs a do-nothing server.

    python scripts/bench.py [--flows 20000] [--check]        (`make bench`)

One flow = the guide's server calls, in order: create a Customer; create and confirm a SetupIntent
with pm_card_visa; list the Customer's payment methods; create and confirm an off-session
PaymentIntent of 1099 usd with the listed method. Each flow runs against the emulator
(`python -m stripe_emulator`, as `make lab` runs it) and, in alternating blocks of the same run,
against two servers on the emulator's own stack (uvicorn with its settings and connection
protocol, bench_servers.py) that do no work: a do-nothing server returning a fixed small JSON
body, and a same-bodies server returning the emulator's real response to each call (its body
and its headers); and against the emulator's own ASGI app with its pipeline skipped, answering
those same responses (the "stack only" server: what the emulator's server stack costs, apart
from its operations). All are
subprocesses on 127.0.0.1; requests are sequential, with timeouts.

Reported: flows/s for both and their ratio (target >= 0.8), the emulator against the same-bodies
server (its own work: target >= 0.95) and that work in µs per request against what the target
leaves for it, split into the stack's share and the operations' share, median and p99 per request, first vs
last decile throughput (target: within 10%; also shown relative to the do-nothing server's
blocks, which cancels load from elsewhere on the machine), startup from spawn to /_emulator/health (target
< 1 s) and the emulator's resident memory. `--check` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field

from bench_servers import (
    EMULATOR,
    HOST,
    KEY,
    NULL_SERVER,
    REPLAY_SERVER,
    REQUEST_TIMEOUT,
    STACK_SERVER,
    capture_bodies,
    rss_mib,
    server,
)

# --- the flow ---------------------------------------------------------------------------


def make_client(base_url: str):
    import stripe

    return stripe.StripeClient(
        KEY,
        base_addresses={"api": base_url},
        max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=REQUEST_TIMEOUT),
    )


def flow(client, timings: list[float]) -> tuple:
    """The guide's four server calls; appends each request's duration to `timings`."""
    clock = time.perf_counter
    t0 = clock()
    customer = client.v1.customers.create()
    t1 = clock()
    setup_intent = client.v1.setup_intents.create(
        {
            "customer": customer.id,
            "payment_method": "pm_card_visa",
            "confirm": True,
            "usage": "off_session",
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
        }
    )
    t2 = clock()
    methods = client.v1.customers.payment_methods.list(customer.id, {"type": "card"})
    t3 = clock()
    payment_intent = client.v1.payment_intents.create(
        {
            "amount": 1099,
            "currency": "usd",
            "customer": customer.id,
            "payment_method": methods.data[0].id,
            "off_session": True,
            "confirm": True,
        }
    )
    t4 = clock()
    timings.extend((t1 - t0, t2 - t1, t3 - t2, t4 - t3))
    return customer, setup_intent, methods, payment_intent


def check_flow(client) -> None:
    """One flow on the emulator must do what the guide says before anything is timed."""
    customer, setup_intent, methods, payment_intent = flow(client, [])
    assert setup_intent.status == "succeeded", setup_intent.status
    assert [m.id for m in methods.data] == [setup_intent.payment_method], methods.data
    assert payment_intent.status == "succeeded", payment_intent.status
    assert payment_intent.customer == customer.id


@dataclass
class Run:
    block_seconds: list[float] = field(default_factory=list)
    timings: list[float] = field(default_factory=list)

    def flows_per_second(self, flows: int) -> float:
        return flows / sum(self.block_seconds)

    def block_rate(self, index: int, block: int) -> float:
        return block / self.block_seconds[index]


def run_block(client, flows: int, run: Run) -> None:
    started = time.perf_counter()
    for _ in range(flows):
        flow(client, run.timings)
    run.block_seconds.append(time.perf_counter() - started)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# --- main -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flows", type=int, default=20_000, help="flows per server")
    parser.add_argument("--warmup", type=int, default=100, help="untimed flows per server")
    parser.add_argument("--startups", type=int, default=3, help="emulator starts timed")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    blocks = 10  # one block per decile
    if args.flows < blocks or args.flows % blocks:
        parser.error(f"--flows must be a positive multiple of {blocks}")
    block = args.flows // blocks

    startups = []
    for _ in range(args.startups - 1):
        with server(EMULATOR, "/_emulator/health") as (_, _, seconds):
            startups.append(seconds)
    with (
        tempfile.TemporaryDirectory() as scratch,
        server(EMULATOR, "/_emulator/health") as (emulator_url, emulator, seconds),
        server(NULL_SERVER, "/") as (null_url, _, _),
    ):
        startups.append(seconds)
        bodies = os.path.join(scratch, "bodies.json")
        capture_bodies(emulator_url, bodies)
        reset = urllib.request.Request(
            emulator_url + "/_emulator/reset",
            data=b"",
            headers={"Authorization": f"Bearer {KEY}"},
        )
        urllib.request.urlopen(reset, timeout=REQUEST_TIMEOUT).close()
        with (
            server([*REPLAY_SERVER, bodies], "/v1/customers") as (replay_url, _, _),
            server([*STACK_SERVER, bodies], "/v1/customers") as (stack_url, _, _),
        ):
            clients = [make_client(url) for url in (emulator_url, null_url, replay_url, stack_url)]
            check_flow(clients[0])
            for _ in range(args.warmup):
                for client in clients:
                    flow(client, [])
            rss_start = rss_mib(emulator.pid)
            runs = emulated, null, replayed, stacked = Run(), Run(), Run(), Run()
            for _ in range(blocks):  # alternate, so drift on the machine hits all alike
                for client, into in zip(clients, runs, strict=True):
                    run_block(client, block, into)
            rss_end = rss_mib(emulator.pid)

    emu_rate, null_rate = emulated.flows_per_second(args.flows), null.flows_per_second(args.flows)
    replay_rate = replayed.flows_per_second(args.flows)
    stack_rate = stacked.flows_per_second(args.flows)
    ratio = emu_rate / null_rate
    first, last = emulated.block_rate(0, block), emulated.block_rate(-1, block)
    drift = (last - first) / first
    # The same drift measured against the do-nothing server's blocks, which alternate with the
    # emulator's: load from elsewhere on the machine slows both alike and cancels out here.
    relative = [emulated.block_rate(i, block) / null.block_rate(i, block) for i in (0, -1)]
    relative_drift = (relative[1] - relative[0]) / relative[0]
    startup = statistics.median(startups)
    own_work = emu_rate / replay_rate
    results = [
        ("ratio emulator / do-nothing", f"{ratio:.2f}", "target >= 0.8", ratio >= 0.8),
        ("emulator / same bodies", f"{own_work:.2f}", "target >= 0.95", own_work >= 0.95),
        ("last vs first decile", f"{drift:+.1%}", "target within 10%", drift >= -0.10),
        (
            "  relative to do-nothing",
            f"{relative_drift:+.1%}",
            "target within 10%",
            relative_drift >= -0.10,
        ),
        ("startup (median)", f"{startup:.2f} s", "target < 1 s", startup < 1.0),
    ]
    ms = 1000
    print(
        f"Link Lab benchmark: {args.flows:,} sequential card flows (4 requests each) per server, "
        f"stripe-python -> {HOST}"
    )
    print(f"{'':28}{'emulator':>12}{'do-nothing':>14}{'same bodies':>14}{'stack only':>14}")
    for label, values in [
        ("flows/s", [f"{r.flows_per_second(args.flows):.1f}" for r in runs]),
        ("median per request", [f"{statistics.median(r.timings) * ms:.2f} ms" for r in runs]),
        ("p99 per request", [f"{percentile(r.timings, 0.99) * ms:.2f} ms" for r in runs]),
        ("first decile flows/s", [f"{r.block_rate(0, block):.1f}" for r in runs]),
        ("last decile flows/s", [f"{r.block_rate(-1, block):.1f}" for r in runs]),
    ]:
        print(f"{label:28}{values[0]:>12}" + "".join(f"{v:>14}" for v in values[1:]))
    print(
        f"{'same bodies / do-nothing':28}{replay_rate / null_rate:>12.2f}   (stripe-python reading "
        "full-size objects, no server work: the ceiling for any emulator)"
    )
    print(
        f"{'stack only / same bodies':28}{stack_rate / replay_rate:>12.2f}   (the emulator's "
        "ASGI app with its pipeline skipped: what its server stack leaves)"
    )
    for label, value, target, met in results:
        print(f"{label:28}{value:>12}   ({target}: {'met' if met else 'MISSED'})")

    def per_request_us(rate: float, baseline: float) -> float:  # a flow is four requests
        return (1 / rate - 1 / baseline) / 4 * 1e6

    # The emulator's own time per request, what the 0.95 target leaves for it, and its two
    # shares: the server stack's and the operations' (`make bench-pipeline` splits those).
    budget_us = per_request_us(0.95 * replay_rate, replay_rate)
    print(
        f"{'own work per request':28}{per_request_us(emu_rate, replay_rate):>9.0f} µs   "
        f"(0.95 leaves {budget_us:.0f} µs)"
    )
    print(f"{'  server stack':28}{per_request_us(stack_rate, replay_rate):>9.0f} µs")
    print(
        f"{'  operations':28}{per_request_us(emu_rate, stack_rate):>9.0f} µs   "
        "(route to render: make bench-pipeline shows where it goes)"
    )
    print(f"{'startups':28}{', '.join(f'{s:.2f}' for s in startups):>12} s")
    print(f"{'emulator RSS':28}{rss_end:>9.1f} MiB   (after warm-up: {rss_start:.1f} MiB)")
    return 1 if args.check and not all(met for *_, met in results) else 0


if __name__ == "__main__":
    sys.exit(main())
