"""Where the emulator's own time goes: `make bench`'s card flow run in-process through the
emulator's pipeline (`EmulatorApp.handle`, no sockets and no client), each step timed.

    python scripts/bench_pipeline.py [--flows 3000]        (`make bench-pipeline`)

The four calls of a flow are built as stripe-python sends them (its headers, a fresh
Idempotency-Key per POST, its form encoding); after each answer the bookkeeping that
`EmulatorApp.__call__` runs once the response is sent (compaction, the request log) runs too.
Each step is timed by wrapping it on this process's app: the pipeline's steps (app.py), and
inside the operation the event records (resources/event.py) and the JSON rendering
(http_io.json_response). Wrapping adds ~0.3 µs per timed call; the untimed total is printed
first, from a separate run of the same flows.

Prints µs per flow for each step and each call, and what `make bench`'s 0.95 target leaves for
all of it: `--same-bodies-ms` (default: 4.0, the same-bodies server's ms per flow measured by
`make bench` on this machine) × (1/0.95 − 1) is the whole per-flow time the emulator may add
over a server that does no work; a hot in-process loop is faster than the real server, so this
is a lower bound on what would be needed.
"""

from __future__ import annotations

import argparse
import functools
import time
import urllib.parse
import uuid

import orjson

from stripe_emulator import app as app_module
from stripe_emulator.app import EmulatorApp
from stripe_emulator.http_io import Request
from stripe_emulator.resources import event as event_module

KEY = "sk_test_linklab_pipeline"
HEADERS = {  # what stripe-python 16 sends (its RequestsClient), bar Idempotency-Key
    b"host": b"127.0.0.1:12111",
    b"user-agent": b"Stripe/v1 PythonBindings/16.1.0",
    b"accept-encoding": b"gzip, deflate",
    b"accept": b"*/*",
    b"connection": b"keep-alive",
    b"x-stripe-client-user-agent": b'{"bindings_version": "16.1.0", "lang": "python"}',
    b"authorization": f"Bearer {KEY}".encode(),
    b"content-type": b"application/x-www-form-urlencoded",
    b"stripe-version": b"2026-10-28.endive",
}
STEPS = ("_route", "_authenticate", "_decode", "_replay", "_operate", "_render")
CALLS = ("create Customer", "create+confirm SetupIntent", "list PaymentMethods",
         "create+confirm PaymentIntent")  # fmt: skip


def request(method: str, path: str, form: dict | None = None) -> Request:
    headers = dict(HEADERS)
    body = query = b""
    if method == "POST":
        headers[b"idempotency-key"] = str(uuid.uuid4()).encode()
        body = urllib.parse.urlencode(form or {}).encode()
    else:
        query = urllib.parse.urlencode(form or {}).encode()
    headers[b"content-length"] = str(len(body)).encode()
    return Request(method, path, query, body, headers, "http", ("127.0.0.1", 12111))


class Flows:
    """Runs flows on one app; `per_call[i]` sums the seconds of the i-th call's `handle`."""

    def __init__(self, app: EmulatorApp) -> None:
        self.app = app
        self.per_call = [0.0] * len(CALLS)
        self.after = 0.0  # bookkeeping after the response

    def _answer(self, index: int, req: Request) -> dict:
        clock = time.perf_counter
        started = clock()
        call = self.app.handle(req)
        answered = clock()
        if call.account is not None:  # what __call__ does once the response is sent
            call.account.compact()
        self.app.record(call, round((answered - started) * 1000, 3))
        self.per_call[index] += answered - started
        self.after += clock() - answered
        assert call.response.status == 200, call.response.body
        return orjson.loads(call.response.body)

    def flow(self) -> None:
        customer = self._answer(0, request("POST", "/v1/customers"))["id"]
        form = {
            "customer": customer,
            "payment_method": "pm_card_visa",
            "confirm": "true",
            "usage": "off_session",
            "automatic_payment_methods[enabled]": "true",
            "automatic_payment_methods[allow_redirects]": "never",
        }
        self._answer(1, request("POST", "/v1/setup_intents", form))
        path = f"/v1/customers/{customer}/payment_methods"
        method = self._answer(2, request("GET", path, {"type": "card"}))["data"][0]["id"]
        form = {"amount": "1099", "currency": "usd", "customer": customer,
                "payment_method": method, "off_session": "true", "confirm": "true"}  # fmt: skip
        assert (
            self._answer(3, request("POST", "/v1/payment_intents", form))["status"] == "succeeded"
        )


def timed(totals: dict[str, float], label: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + time.perf_counter() - started

    return wrapper


def run(flows: int, warmup: int, totals: dict[str, float] | None) -> tuple[float, Flows]:
    """Seconds for `flows` flows on a fresh app (its steps timed into `totals` if given)."""
    app = EmulatorApp()
    runner = Flows(app)
    originals = (app_module._run_api_handler, app_module.json_response, event_module.record)
    if totals is not None:
        for step in STEPS:
            setattr(app, step, timed(totals, step.lstrip("_"), getattr(app, step)))
        app_module._run_api_handler = timed(totals, "handler", originals[0])
        app_module.json_response = timed(totals, "json", originals[1])
        event_module.record = timed(totals, "events", originals[2])
    try:
        for _ in range(warmup):
            runner.flow()
        if totals is not None:
            totals.clear()
        runner.per_call = [0.0] * len(CALLS)
        runner.after = 0.0
        started = time.perf_counter()
        for _ in range(flows):
            runner.flow()
        return time.perf_counter() - started, runner
    finally:
        app_module._run_api_handler, app_module.json_response, event_module.record = originals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flows", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument(
        "--same-bodies-ms",
        type=float,
        default=4.0,
        help="the same-bodies server's ms per flow from `make bench` (default 4.0)",
    )
    args = parser.parse_args(argv)
    us = 1e6 / args.flows  # seconds in total -> µs per flow

    seconds, untimed = run(args.flows, args.warmup, None)
    totals: dict[str, float] = {}
    _, runner = run(args.flows, args.warmup, totals)
    pipeline = sum(untimed.per_call)
    operate, handler = totals["operate"], totals["handler"]
    own = handler - totals["events"] - totals["json"]
    budget = args.same_bodies_ms * 1000 * (1 / 0.95 - 1)

    print(
        f"Link Lab pipeline: {args.flows:,} card flows in-process (EmulatorApp.handle), µs per flow"
    )
    print(f"{'answering (handle), untimed':34}{pipeline * us:>8.0f}")
    print(
        f"{'after the response, untimed':34}{untimed.after * us:>8.0f}   (compaction, request log)"
    )
    print(f"{'wall time per flow, untimed':34}{seconds * us:>8.0f}")
    print("steps (timed run):")
    rows = [
        ("route", totals["route"]),
        ("authenticate", totals["authenticate"]),
        ("decode (form, fingerprint, request id)", totals["decode"]),
        ("idempotency lookup", totals["replay"]),
        ("operation: the handlers' own work", own),
        ("operation: recording events", totals["events"]),
        ("operation: rendering JSON", totals["json"]),
        ("operation: lock, idempotency, commit", operate - handler),
        ("response headers", totals["render"]),
    ]
    for label, value in rows:
        print(f"  {label:40}{value * us:>8.1f}")
    print("calls (timed run):")
    for label, value in zip(CALLS, runner.per_call, strict=True):
        print(f"  {label:40}{value * us:>8.1f}")
    print(
        f"{'0.95 of the same-bodies server':34}{budget:>8.0f}   (all the emulator may add per "
        f"flow at {args.same_bodies_ms:.2f} ms/flow; in a real server each µs here costs more)"
    )
    print(f"{'answering / that budget':34}{pipeline * us / budget:>8.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
