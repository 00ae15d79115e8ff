"""The benchmark's servers (scripts/bench.py): the do-nothing server, the same-bodies server,
the emulator's stack answering the same bodies, and running a server as a subprocess until it answers.

    python scripts/bench_servers.py --serve-null --port N
    python scripts/bench_servers.py --serve-replay BODIES --port N
    python scripts/bench_servers.py --serve-stack BODIES --port N
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator

HOST = "127.0.0.1"
KEY = "sk_test_linklab_bench"
REQUEST_TIMEOUT = 10  # seconds, per request
START_TIMEOUT = 30  # seconds, per server start

NULL_BODY = json.dumps(
    {
        "id": "null_000000000000",
        "object": "null",
        "data": [{"id": "pm_null", "object": "payment_method"}],
        "has_more": False,
        "url": "/v1/null",
    }
).encode()


# --- the do-nothing and same-bodies servers ---------------------------------------------


JSON_HEADERS = ((b"content-type", b"application/json"),)


async def _answer(send, body: bytes, headers: tuple = JSON_HEADERS) -> None:
    """Send `body` as a 200 response with `headers` (and its Content-Length)."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def null_app(scope, receive, send) -> None:
    """Raw ASGI: reads the request, answers the same small JSON body to everything."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await _answer(send, NULL_BODY)


def replay_app(responses: dict[str, tuple[bytes, tuple]]):
    """Raw ASGI: answers each of the flow's four calls with the response the emulator really
    returned for it (its body and its headers: Request-Id, Stripe-Version, Idempotency-Key, as
    Stripe sends them), doing no other work. Comparing the emulator with it isolates the
    emulator's own cost from what stripe-python spends reading full-size Stripe responses."""

    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await null_app(scope, receive, send)
            return
        while (await receive()).get("more_body"):
            pass
        body, headers = responses[_call_of(scope["path"])]
        await _answer(send, body, headers)

    return app


def _call_of(path: str) -> str:
    """Which of the flow's four calls a path is (the keys `capture_bodies` records)."""
    return "list" if path.endswith("/payment_methods") else path.split("/")[2]


def stack_app(responses: dict[str, tuple[bytes, tuple]]):
    """The emulator's own ASGI app, `EmulatorApp.__call__` (reading the body, the Request,
    sending the response, the per-request log line), with its pipeline, `handle` (route,
    authenticate, decode, operate, render: everything an API call does), answering the captured
    response instead. Between it and the same-bodies server is what the emulator's server stack
    costs; between it and the emulator, what its operations cost."""
    from stripe_emulator.app import EmulatorApp
    from stripe_emulator.call import Call
    from stripe_emulator.http_io import Response

    class StackOnly(EmulatorApp):
        def handle(self, request) -> Call:
            call = Call(request, self.store)
            body, headers = responses[_call_of(request.path)]
            call.response = Response(200, body, list(headers))
            return call

    return StackOnly()


def load_responses(path: str) -> dict[str, tuple[bytes, tuple]]:
    """What `capture_bodies` recorded, as `replay_app` serves it."""
    with open(path) as handle:
        return {
            call: (
                answer["body"].encode(),
                tuple((name.encode(), value.encode()) for name, value in answer["headers"]),
            )
            for call, answer in json.load(handle).items()
        }


def serve_replay(port: int, responses_file: str) -> None:
    _run(replay_app(load_responses(responses_file)), port)


# Not replayed: what the server stack adds to every response itself (uvicorn's, the replay
# server's too), and hop-by-hop headers (urllib's capture asks `Connection: close`; replaying
# that would make stripe-python reconnect for every request).
STACK_HEADERS = {
    "date",
    "server",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
}


def capture_bodies(base_url: str, path: str) -> None:
    """Record the emulator's real response, body and headers, to each call of one flow (raw
    HTTP, each POST with an Idempotency-Key as stripe-python sends one)."""

    def call(method: str, url_path: str, form: str = "") -> dict:
        headers = {"Authorization": f"Bearer {KEY}"}
        if method == "POST":
            headers["Idempotency-Key"] = str(uuid.uuid4())
        request = urllib.request.Request(
            base_url + url_path,
            data=form.encode() if method == "POST" else None,
            method=method,
            headers=headers,
        )
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            sent = [(k.lower(), v) for k, v in response.getheaders()]
            return {
                "body": response.read().decode(),
                "headers": [(k, v) for k, v in sent if k not in STACK_HEADERS],
            }

    customer = call("POST", "/v1/customers")
    cus = json.loads(customer["body"])["id"]
    setup_intent = call(
        "POST", "/v1/setup_intents", f"customer={cus}&payment_method=pm_card_visa&confirm=true"
    )
    methods = call("GET", f"/v1/customers/{cus}/payment_methods?type=card")
    pm = json.loads(methods["body"])["data"][0]["id"]
    payment_intent = call(
        "POST",
        "/v1/payment_intents",
        f"amount=1099&currency=usd&customer={cus}&payment_method={pm}&off_session=true&confirm=true",
    )
    bodies = {
        "customers": customer,
        "setup_intents": setup_intent,
        "list": methods,
        "payment_intents": payment_intent,
    }
    with open(path, "w") as handle:
        json.dump(bodies, handle)


def serve_stack(port: int, responses_file: str) -> None:
    from stripe_emulator.__main__ import configure_logging

    configure_logging()  # its log line per request, as `python -m stripe_emulator` writes it
    _run(stack_app(load_responses(responses_file)), port)


def serve_null(port: int) -> None:
    _run(null_app, port)


def _run(app, port: int) -> None:
    """Serve `app` on the emulator's stack: the uvicorn settings and connection protocol
    (slow-connection deadline, backlog) of `python -m stripe_emulator`, so that the emulator's
    figures differ from these servers' by its own work alone."""
    import uvicorn

    from stripe_emulator import connections

    uvicorn.run(
        app,
        host=HOST,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        http=connections.protocol(),
        backlog=connections.BACKLOG,
    )


# --- processes --------------------------------------------------------------------------


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=0.5) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def server(argv: list[str], probe_path: str) -> Iterator[tuple[str, subprocess.Popen, float]]:
    """Start a server subprocess; yields (base_url, process, seconds from spawn to answering)."""
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [*argv, "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while not answers(base_url + probe_path):
            if process.poll() is not None:
                raise RuntimeError(f"{argv} exited with status {process.returncode}")
            if time.perf_counter() - started > START_TIMEOUT:
                raise RuntimeError(f"{argv} did not answer within {START_TIMEOUT} s")
            time.sleep(0.002)
        yield base_url, process, time.perf_counter() - started
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


EMULATOR = [sys.executable, "-m", "stripe_emulator"]
NULL_SERVER = [sys.executable, os.path.abspath(__file__), "--serve-null"]
REPLAY_SERVER = [sys.executable, os.path.abspath(__file__), "--serve-replay"]
STACK_SERVER = [sys.executable, os.path.abspath(__file__), "--serve-stack"]


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve-null", action="store_true", help="the do-nothing server")
    parser.add_argument("--serve-replay", metavar="BODIES", help="the same-bodies server")
    parser.add_argument(
        "--serve-stack", metavar="BODIES", help="the emulator's stack, answering those bodies"
    )
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    if args.serve_null:
        serve_null(args.port)
    elif args.serve_replay:
        serve_replay(args.port, args.serve_replay)
    elif args.serve_stack:
        serve_stack(args.port, args.serve_stack)
    else:
        parser.error("give --serve-null, --serve-replay or --serve-stack")
    return 0


if __name__ == "__main__":
    sys.exit(main())
