"""`python -m embedded_page [--host 127.0.0.1] [--port 4242] [--request-timeout SECONDS]`: serve
the checkout page.

Settings come from the environment, then `.env` (see `settings.py`). Loopback by default.
"""

from __future__ import annotations

import argparse
import logging

import uvicorn

from . import connections
from .app import create_app
from .settings import Settings, SettingsError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4242


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m embedded_page", description="Link Lab's checkout page (Stripe test mode)."
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help="address to bind (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="default: %(default)s")
    connections.add_request_timeout(parser)
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise SystemExit(f"embedded_page: {exc}") from None
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # access_log=False: the app logs each request itself, with secrets masked (request_log.py)
    connections.raise_fd_limit()  # room for many connections; stalled ones are timed out
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_level="info",
        access_log=False,
        http=connections.protocol(timeout=args.request_timeout),
        backlog=connections.BACKLOG,
    )


if __name__ == "__main__":
    main()
