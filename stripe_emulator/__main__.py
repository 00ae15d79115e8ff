"""`python -m stripe_emulator [--host 127.0.0.1] [--port 12111] [--allow-host NAME ...]`"""

from __future__ import annotations

import argparse
import logging

import uvicorn

from .server import DEFAULT_HOST, DEFAULT_PORT, build_app

# The standalone server owns its process, so it may freeze long-lived objects out of the cyclic
# GC (see EmulatorApp); thread-hosted emulators (tests) leave their host process's GC alone.
GC_FREEZE_EVERY = 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="stripe_emulator", description=__doc__)
    parser.add_argument("--host", default=DEFAULT_HOST, help="bind address (default: loopback)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a Host name to answer besides 127.0.0.1, localhost and [::1] (repeatable)",
    )
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")
    args = parser.parse_args(argv)
    # One log line per request: leave out the record fields the format does not show (the
    # logging docs' "Optimization" section): the caller's frame, thread and process.
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(name)s %(message)s",
    )
    uvicorn.run(
        build_app(gc_freeze_every=GC_FREEZE_EVERY, allowed_hosts=tuple(args.allow_host)),
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )


if __name__ == "__main__":
    main()
