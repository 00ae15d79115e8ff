"""Link Lab's background servers: `python scripts/servers.py start|stop|status`.

    start   the emulator (127.0.0.1:12111) and the demo checkout page (127.0.0.1:4242), unless
            they answer already; `make lab` runs this before JupyterLab opens
    stop    what `start` and the lessons started (lessons' pages on 4300+), or only the servers
            on --port and in --page-ports when given (`make test` stops its own this way)
    status  which servers this machine's Link Lab started and where they answer

The demo page serves its own emulator account ("demo"), separate from every lesson's.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from helpers.backend import EMULATOR_PORT, get_backend
from helpers.page import start_checkout_page
from helpers.servers import (
    emulator_health,
    ensure_emulator,
    page_config,
    running,
    stop_all,
)

DEMO_PAGE_PORT = 4242


def start(port: int, page_port: int) -> None:
    emulator = ensure_emulator(port)
    print(f"Emulator      {emulator.base_url}" + ("" if emulator.pid else " (already running)"))
    page_url = f"http://127.0.0.1:{page_port}"
    if page_config(page_url) is None:
        backend = get_backend()
        if not backend.offline:
            print("Real Stripe test mode is configured: the demo page is not started.")
            return
        secret, publishable = backend.keys_for("demo")
        local = replace(
            backend, api_base=emulator.base_url, stripe_js_url=f"{emulator.base_url}/v3/"
        )
        start_checkout_page(local, "demo", secret, publishable, port=page_port)
    print(f"Checkout page {page_url}/  (a demo account; each lesson starts its own page)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="scripts/servers.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,  # the docstring's table as written
    )
    parser.add_argument("action", choices=("start", "stop", "status"))
    parser.add_argument("--port", type=int, default=None, help="the emulator's port")
    parser.add_argument(
        "--page-port", type=int, default=DEMO_PAGE_PORT, help="start: the demo page's port"
    )
    parser.add_argument(
        "--page-ports", type=int, default=None, help="stop: pages on this port and the 199 after"
    )
    args = parser.parse_args(argv)
    if args.action == "start":
        start(args.port or EMULATOR_PORT, args.page_port)
    elif args.action == "stop":
        if args.port is None and args.page_ports is None:
            stopped = stop_all()
        else:
            stopped = []
            if args.port is not None:
                stopped += stop_all(range(args.port, args.port + 1))
            if args.page_ports is not None:
                stopped += stop_all(range(args.page_ports, args.page_ports + 200))
        for kind, port in stopped:
            print(f"stopped the {kind} on port {port}")
    else:
        for kind, port in running():
            url = f"http://127.0.0.1:{port}"
            alive = emulator_health(url) if kind == "emulator" else page_config(url)
            print(f"{kind:<9} {url:<24} {'answering' if alive else 'not answering'}")


if __name__ == "__main__":
    main()
