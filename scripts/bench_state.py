"""Benchmark: what durable state costs (`python -m stripe_emulator --state FILE`).

    python scripts/bench_state.py [--flows 2000]

The guide's card flow of scripts/bench.py (create a Customer, create+confirm a SetupIntent,
list the Customer's payment methods, create+confirm an off-session PaymentIntent) runs against
three emulator subprocesses in alternating blocks of the same run, so load from elsewhere on
the machine hits all alike: memory only (the default), `--state` (WAL, synchronous=NORMAL:
survives kill -9) and `--state --state-sync full` (an fsync per commit: survives power loss).

Reported: flows/s of each and its ratio to memory only, median and p99 per request, the state
file's size per flow, and the restart time (spawn to /_emulator/health) on the file the run
filled, which restores every object.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile

from bench import Run, check_flow, flow, make_client, percentile, run_block
from bench_servers import EMULATOR, HOST, rss_mib, server

BLOCKS = 10


def file_size(path: str) -> int:
    """The state file with its write-ahead log."""
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flows", type=int, default=2000, help="flows per server")
    parser.add_argument("--warmup", type=int, default=50, help="untimed flows per server")
    args = parser.parse_args(argv)
    if args.flows < BLOCKS or args.flows % BLOCKS:
        parser.error(f"--flows must be a positive multiple of {BLOCKS}")
    block = args.flows // BLOCKS
    labels = ("memory only", "--state", "--state-sync full")

    with tempfile.TemporaryDirectory() as scratch:
        normal_file, full_file = (os.path.join(scratch, f"{n}.db") for n in ("normal", "full"))
        argvs = (
            [*EMULATOR, "--quiet"],
            [*EMULATOR, "--quiet", "--state", normal_file],
            [*EMULATOR, "--quiet", "--state", full_file, "--state-sync", "full"],
        )
        runs = [Run() for _ in argvs]
        with (
            server(argvs[0], "/_emulator/health") as (memory_url, _, _),
            server(argvs[1], "/_emulator/health") as (normal_url, normal_process, _),
            server(argvs[2], "/_emulator/health") as (full_url, _, _),
        ):
            clients = [make_client(url) for url in (memory_url, normal_url, full_url)]
            for client in clients:
                check_flow(client)
                for _ in range(args.warmup):
                    flow(client, [])
            for _ in range(BLOCKS):
                for client, run in zip(clients, runs, strict=True):
                    run_block(client, block, run)
            rss = rss_mib(normal_process.pid)
        flows_stored = args.flows + args.warmup + 1
        size = file_size(normal_file)
        restarts = []
        for _ in range(3):
            with server(argvs[1], "/_emulator/health") as (_, _, seconds):
                restarts.append(seconds)
        with server(argvs[0], "/_emulator/health") as (_, _, seconds):
            empty_start = seconds

    rates = [run.flows_per_second(args.flows) for run in runs]
    ms = 1000
    print(
        f"Durable state benchmark: {args.flows:,} sequential card flows (4 requests each) per "
        f"server, stripe-python -> {HOST}, alternating blocks"
    )
    print(f"{'':26}" + "".join(f"{label:>19}" for label in labels))
    for label, values in [
        ("flows/s", [f"{rate:.1f}" for rate in rates]),
        ("ratio to memory only", [f"{rate / rates[0]:.2f}" for rate in rates]),
        ("median per request", [f"{statistics.median(r.timings) * ms:.2f} ms" for r in runs]),
        ("p99 per request", [f"{percentile(r.timings, 0.99) * ms:.2f} ms" for r in runs]),
        (
            "extra per flow",
            [f"{(1 / rate - 1 / rates[0]) * ms:+.2f} ms" for rate in rates],
        ),
    ]:
        print(f"{label:26}" + "".join(f"{value:>19}" for value in values))
    print(
        f"{'state file':26}{size / 2**20:>19.1f} MiB for {flows_stored:,} flows "
        f"({size / flows_stored / 1024:.1f} KiB per flow)"
    )
    print(
        f"{'restart on that file':26}{statistics.median(restarts):>17.2f} s  (median of 3; "
        f"memory only, empty: {empty_start:.2f} s)"
    )
    print(f"{'RSS with --state':26}{rss:>15.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
