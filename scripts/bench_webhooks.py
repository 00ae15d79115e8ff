"""Benchmark: webhook delivery under load and faults (the emulator hosted in this process).

    python scripts/bench_webhooks.py [--events 200]

Prints, each measured here and now:
- threads: `threading.active_count()` before and at most while 304 endpoints (19 accounts × 16)
  each hold a request that is never answered;
- throughput: deliveries per second to one local receiver (16 endpoints × `--events` events);
- isolation: a healthy endpoint's delivery latency (p50, p90: from the API call to the arrival) with and
  without a hung endpoint on the same account, and their ratio (1.0: the hung one costs nothing);
- outage: an endpoint down for 10 minutes of a frozen account clock, then back: events delivered
  once each, and the real time the whole outage took.
"""

from __future__ import annotations

import argparse
import http.server
import json
import socket
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request

from stripe_emulator import Emulator

T = 1_900_000_000


class Api:
    def __init__(self, emulator: Emulator, key: str, frozen_at: int | None = None) -> None:
        self.base, self.key = emulator.base_url, key
        emulator.reset(key, frozen_at)

    def call(self, method: str, path: str, data: dict | None = None) -> dict:
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if method == "POST" else None
        request = urllib.request.Request(
            self.base + path, body, {"Authorization": f"Bearer {self.key}"}, method=method
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def endpoint(self, url: str) -> dict:
        return self.call("POST", "/v1/webhook_endpoints", {"url": url, "enabled_events[]": "*"})

    def deliveries(self) -> list[dict]:
        return self.call("GET", "/_emulator/deliveries?limit=1000")["data"]

    def wait(self, predicate, timeout: float = 120.0) -> list[dict]:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            log = self.deliveries()
            if predicate(log):
                return log
            time.sleep(0.01)
        raise SystemExit("deliveries never matched")


class Receiver:
    """Answers 200 (503 while `down`); `hang=True`: never answers. Records arrival times."""

    def __init__(self, hang: bool = False) -> None:
        self.down, self.arrivals, self.release = False, [], threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.arrivals.append((event["id"], time.perf_counter()))
                if hang:
                    outer.release.wait(60)
                self.send_response(503 if outer.down else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        http.server.ThreadingHTTPServer.request_queue_size = 256  # the default 5 drops SYNs
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def threads(emulator: Emulator) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1024)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
        before = most = threading.active_count()
        accounts = [Api(emulator, f"sk_test_bench_threads_{n}", T) for n in range(19)]
        for api in accounts:
            for _ in range(16):
                api.endpoint(url)
            api.call("POST", "/v1/customers")
            most = max(most, threading.active_count())
        for api in accounts:
            api.wait(lambda log: len(log) == 16)  # every request sent, and timed out
            most = max(most, threading.active_count())
    print(f"threads: {before} before, at most {most} with 304 hung endpoints (+{most - before})")


def throughput(emulator: Emulator, events: int) -> None:
    receiver, api = Receiver(), Api(emulator, "sk_test_bench_throughput")
    for _ in range(16):
        api.endpoint(receiver.url)
    started = time.perf_counter()
    for _ in range(events):
        api.call("POST", "/v1/customers")
    total = 16 * events
    while len(receiver.arrivals) < total:
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    print(f"throughput: {total} deliveries in {seconds:.2f} s ({total / seconds:.0f}/s)")
    receiver.close()


def latencies(emulator: Emulator, key: str, hung: bool, events: int = 100) -> list[float]:
    """Seconds from each API call to its event's arrival at a healthy endpoint (one event
    at a time, so queueing does not blur it); a hung endpoint beside it gets every event too."""
    healthy, stuck, api = Receiver(), Receiver(hang=True), Api(emulator, key)
    api.endpoint(healthy.url)
    if hung:
        api.endpoint(stuck.url)
    result = []
    for n in range(events):
        started = time.perf_counter()
        api.call("POST", "/v1/customers")
        while len(healthy.arrivals) <= n:
            time.sleep(0.0005)
        result.append(healthy.arrivals[n][1] - started)
    healthy.close()
    stuck.close()
    return result


def isolation(emulator: Emulator) -> None:
    alone = latencies(emulator, "sk_test_bench_alone", hung=False)
    beside = latencies(emulator, "sk_test_bench_beside", hung=True)

    def p(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100)[q - 1] * 1000

    print(
        f"isolation: healthy endpoint p50 {p(alone, 50):.1f} ms / p90 {p(alone, 90):.1f} ms alone, "
        f"p50 {p(beside, 50):.1f} ms / p90 {p(beside, 90):.1f} ms beside a hung endpoint "
        f"(p50 ratio {p(beside, 50) / p(alone, 50):.2f})"
    )


def outage(emulator: Emulator, events: int = 50) -> None:
    receiver, api = Receiver(), Api(emulator, "sk_test_bench_outage", T)
    receiver.down = True
    api.endpoint(receiver.url)
    started = time.perf_counter()
    for _ in range(events):
        api.call("POST", "/v1/customers")
    api.wait(lambda log: len(log) == events)
    for due, seen in ((60, 2), (180, 3), (420, 4)):  # the retries while it is down
        api.call(
            "POST",
            "/_emulator/clock",
            {"advance": T + due - api.call("GET", "/_emulator/clock")["now"]},
        )
        api.wait(lambda log, n=seen: len(log) == n * events)
    receiver.down = False
    api.call(
        "POST",
        "/_emulator/clock",
        {"advance": T + 900 - api.call("GET", "/_emulator/clock")["now"]},
    )
    api.wait(lambda log: sum(e["succeeded"] for e in log) == events)
    seconds = time.perf_counter() - started
    delivered = [event for event, _ in receiver.arrivals[-events:]]
    once = len(set(delivered)) == events
    print(
        f"outage: {events} events, endpoint down 10 min of emulator clock, all delivered "
        f"{'once each' if once else 'WITH DUPLICATES'} at +15 min, in {seconds:.2f} s real time"
    )
    receiver.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    args = parser.parse_args()
    emulator = Emulator(port=0).start()
    emulator.app.deliverer.timeout = 0.5  # the hung endpoints of `threads` time out quickly
    try:
        threads(emulator)
        emulator.app.deliverer.timeout = 10.0
        throughput(emulator, args.events)
        isolation(emulator)
        outage(emulator)
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
