"""Benchmark: 30 customers check out at once on the embedded page, each in its own browser profile.

    python scripts/bench_checkouts.py [--checkouts 30] [--concurrency 30]   (`make bench-checkouts`)

Servers as the lessons run them: the emulator (`python -m stripe_emulator --quiet`) and the
guide's checkout page (`python -m embedded_page`, started by helpers.page for one account), both
subprocesses on 127.0.0.1. One headless Chromium (Debian's /usr/bin/chromium, or
LINKLAB_CHROMIUM) serves every checkout: each gets a fresh browser context (its own cookies, as
a separate customer's browser) and a one-time login link for its own Customer, and runs the
scripted customer's card checkout (helpers.checkout_script.run_checkout: email, address, card
4242 4242 4242 4242, Save) until the page's return_url shows the saved method. At most
`--concurrency` run at the same time (worker threads, each with its own Playwright driver
connected to the shared Chromium over CDP). Screenshots are not taken (not part of a checkout).

First one checkout runs alone (the baseline, same process), then all of them concurrently.
Printed: failures (target 0: a checkout that did not land on /order/success with a succeeded
SetupIntent, or whose Customer does not have exactly that card saved), p50/p99/max seconds per
checkout, the concurrent p50 over the alone time, checkouts per minute, and the CPU the emulator
and the page used per checkout (what is left of the machine went to Chromium and the drivers). `--check` exits 1 on
any failure.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator

import stripe
from bench import percentile
from bench_servers import EMULATOR, free_port, server
from playwright.sync_api import expect, sync_playwright

from helpers import checkout_script
from helpers.backend import load_backend
from helpers.checkout_script import run_checkout, track_requests
from helpers.customer import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
from helpers.page import start_checkout_page
from helpers.servers import run_file, stop_page
from helpers.visit import Visit

ACCOUNT = "bench_checkouts"
CARD = "4242424242424242"
# Per step, generous: 30 browsers share this machine's cores, and a slow step is measured, not
# failed (the scripted customer's own waits count polls, not seconds, so they stretch too).
STEP_TIMEOUT_MS = 120_000
DEVTOOLS = re.compile(r"DevTools listening on (ws://\S+)")


class QuietVisit(Visit):
    """A Visit that takes no screenshots: the checkout is measured, not pictured."""

    def snapshot(self, page, moment: str, whole_page: bool = True) -> None:
        return None


@contextlib.contextmanager
def chromium() -> Iterator[str]:
    """One headless Chromium with a DevTools endpoint on loopback; yields its ws:// URL."""
    path = shutil.which(CHROMIUM)
    if path is None:
        raise SystemExit(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        process = subprocess.Popen(
            [
                path,
                "--headless",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                *CHROMIUM_ARGS,
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            for line in process.stderr:
                found = DEVTOOLS.search(line)
                if found:
                    break
            else:
                raise RuntimeError(f"Chromium exited ({process.wait()}) without a DevTools URL")
            threading.Thread(target=process.stderr.read, daemon=True).start()  # keep it drained
            yield found.group(1)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Drivers:
    """One Playwright driver per worker thread, each connected to the shared Chromium."""

    def __init__(self, ws_url: str) -> None:
        self.ws_url = ws_url
        self._local = threading.local()
        self._all: list = []
        self._lock = threading.Lock()

    def browser(self):
        browser = getattr(self._local, "browser", None)
        if browser is None:
            playwright = sync_playwright().start()
            expect.set_options(timeout=STEP_TIMEOUT_MS)
            browser = playwright.chromium.connect_over_cdp(self.ws_url)
            self._local.browser = browser
            with self._lock:
                self._all.append((playwright, browser))
        return browser

    def close_mine(self, everyone: threading.Barrier) -> None:
        """Stop this thread's driver (Playwright objects belong to the thread that made them).
        `everyone` holds each call until one runs on every worker thread."""
        everyone.wait(timeout=60)
        browser = getattr(self._local, "browser", None)
        if browser is None:
            return
        with self._lock:
            playwright = next(p for p, b in self._all if b is browser)
            self._all.remove((playwright, browser))
        browser.close()
        playwright.stop()
        self._local.browser = None


def checkout(drivers: Drivers, url: str, email: str) -> tuple[float, Visit]:
    """One customer's card checkout in a fresh browser context: (seconds, what happened)."""
    context = drivers.browser().new_context(viewport=VIEWPORT)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    visit = QuietVisit(started_at=time.time())
    started = time.perf_counter()
    try:
        page = context.new_page()
        track_requests(page)
        run_checkout(page, visit, url, email=email, card=CARD)
    except Exception as exc:  # reported as a failure with its reason
        visit.failed(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        seconds = time.perf_counter() - started
        context.close()
    return seconds, visit


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def failure(visit: Visit, client: stripe.StripeClient, customer: str) -> str | None:
    """Why this checkout did not save the card for its customer, or None."""
    if not visit.completed:
        return "; ".join(detail for step, detail in visit.steps if step == "failed")
    if visit.landed != "/order/success":
        return f"ended on {visit.landed}: {visit.messages}"
    if "succeeded" not in visit.saved.values():
        return f"success page shows {visit.saved}"
    methods = client.v1.payment_methods.list({"customer": customer, "type": "card"}).data
    if [m.card.last4 for m in methods] != [CARD[-4:]]:
        return f"customer has {[m.id for m in methods]}"
    return None


def run(
    pool: concurrent.futures.Executor, drivers: Drivers, page, client, count: int, tag: str
) -> list[tuple[float, str | None]]:
    customers = [client.v1.customers.create().id for _ in range(count)]
    urls = [page.login_url(customer) for customer in customers]
    futures = [
        pool.submit(checkout, drivers, url, f"shopper.{tag}{i}@example.com")
        for i, url in enumerate(urls)
    ]
    results = []
    for customer, future in zip(customers, futures, strict=True):
        seconds, visit = future.result()
        results.append((seconds, failure(visit, client, customer)))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkouts", type=int, default=30, help="concurrent checkouts in all")
    parser.add_argument("--concurrency", type=int, default=30, help="at most this many at once")
    parser.add_argument(
        "--poll-ms",
        type=int,
        default=100,
        help="how often each scripted customer looks at its page while waiting (lessons: "
        f"{checkout_script.POLL_MS}); 30 drivers looking every 10 ms starve the browsers of CPU",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 on any failure")
    args = parser.parse_args(argv)
    checkout_script.POLL_MS = args.poll_ms
    page_port = free_port()
    with (
        server([*EMULATOR, "--quiet"], "/_emulator/health") as (emulator_url, emulator, _),
        chromium() as ws_url,
        concurrent.futures.ThreadPoolExecutor(args.concurrency, "checkout") as pool,
    ):
        backend = load_backend(
            {"LINKLAB_BACKEND": "emulator", "STRIPE_API_BASE": emulator_url}, env_file=None
        )
        secret_key, publishable_key = backend.keys_for(ACCOUNT)
        client = stripe.StripeClient(
            secret_key, base_addresses={"api": emulator_url}, max_network_retries=0
        )
        drivers = Drivers(ws_url)
        try:
            page = start_checkout_page(
                backend, ACCOUNT, secret_key, publishable_key, port=page_port
            )
            page_pid = int(run_file("page", page_port, "pid").read_text())
            alone = run(pool, drivers, page, client, 1, "alone")
            cpu_before = cpu_seconds(emulator.pid), cpu_seconds(page_pid)
            started = time.perf_counter()
            together = run(pool, drivers, page, client, args.checkouts, "c")
            wall = time.perf_counter() - started
            cpu = [
                after - before
                for before, after in zip(
                    cpu_before, (cpu_seconds(emulator.pid), cpu_seconds(page_pid)), strict=True
                )
            ]
        finally:
            everyone = threading.Barrier(args.concurrency)
            for _ in range(args.concurrency):  # each worker stops its own driver
                pool.submit(drivers.close_mine, everyone)
            pool.shutdown(wait=True)
            stop_page(page_port)

    seconds = [s for s, _ in together]
    failures = [(i, why) for i, (_, why) in enumerate(alone + together) if why is not None]
    print(
        f"Link Lab checkout benchmark: {args.checkouts} card checkouts on the embedded page, "
        f"at most {args.concurrency} at once, one headless Chromium ({os.cpu_count()} CPUs), "
        f"customers polling every {args.poll_ms} ms"
    )
    print(f"{'failures':28}{len(failures):>10}   (target 0)")
    for index, why in failures[:10]:
        print(f"  checkout {index}: {why}")
    print(f"{'alone (one checkout)':28}{alone[0][0]:>9.2f} s")
    for label, fraction in (("p50", 0.5), ("p99", 0.99)):
        print(f"{label + ' per checkout':28}{percentile(seconds, fraction):>9.2f} s")
    print(f"{'max per checkout':28}{max(seconds):>9.2f} s")
    ratio = percentile(seconds, 0.5) / alone[0][0]
    print(f"{'p50 concurrent / alone':28}{ratio:>9.2f}")
    print(f"{'throughput':28}{args.checkouts / wall * 60:>9.1f} checkouts/min")
    for name, used in zip(("emulator", "checkout page"), cpu, strict=True):
        share = used / (wall * (os.cpu_count() or 1))
        print(
            f"{name + ' CPU':28}{used / args.checkouts * 1000:>9.0f} ms/checkout   "
            f"({share:.1%} of the machine during the run; the rest: Chromium, drivers, others)"
        )
    return 1 if args.check and failures else 0


if __name__ == "__main__":
    sys.exit(main())
