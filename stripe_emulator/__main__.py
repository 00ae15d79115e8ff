"""`python -m stripe_emulator [--host 127.0.0.1] [--port 12111] [--allow-host NAME ...]
[--allow-webhook-host NAME ...] [--state FILE [--state-sync normal|full]]
[--request-timeout SECONDS]`

`python -m stripe_emulator publishable-key sk_test_…` prints the publishable key of the account
that secret key names (keys.py), for shells and Makefiles that set STRIPE_PUBLISHABLE_KEY.
"""

from __future__ import annotations

import argparse
import logging
import sys

import uvicorn

from . import connections
from .keys import publishable_key_for
from .persistence import SYNC_MODES
from .server import DEFAULT_HOST, DEFAULT_PORT, StateFileError, build_app

# The standalone server owns its process, so it may freeze long-lived objects out of the cyclic
# GC (see EmulatorApp); thread-hosted emulators (tests) leave their host process's GC alone.
GC_FREEZE_EVERY = 1000


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["publishable-key"]:
        publishable_key(argv[1:])
        return
    parser = argparse.ArgumentParser(
        prog="stripe_emulator",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="bind address (default: loopback)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a Host name to answer besides 127.0.0.1, localhost and [::1] (repeatable)",
    )
    parser.add_argument(
        "--allow-webhook-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host webhook endpoints may point to besides loopback (repeatable)",
    )
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")
    connections.add_request_timeout(parser)
    parser.add_argument(
        "--state",
        metavar="FILE",
        help="keep every account in this SQLite file (created if missing, owner-only): each "
        "request's changes are committed before its response is sent, and a restart on the "
        "same FILE restores every object, webhook endpoint secret, id position and clock, "
        "even after kill -9. Default: memory only, lost on exit",
    )
    parser.add_argument(
        "--state-sync",
        choices=SYNC_MODES,
        default="normal",
        help="normal (default): a commit survives the emulator being killed; full: fsync "
        "every commit, so it also survives an OS crash or power loss (slower)",
    )
    args = parser.parse_args(argv)
    configure_logging(quiet=args.quiet)
    connections.raise_fd_limit()  # room for many connections; stalled ones are timed out
    try:
        app = build_app(
            gc_freeze_every=GC_FREEZE_EVERY,
            allowed_hosts=tuple(args.allow_host),
            allowed_webhook_hosts=tuple(args.allow_webhook_host),
            state=args.state,
            state_sync=args.state_sync,
        )
    except StateFileError as exc:
        parser.exit(2, f"stripe_emulator: cannot use the state file {exc}\n")
    logging.getLogger("stripe_emulator").info(
        "serving Stripe test mode on http://%s:%d (any sk_test_ key; Ctrl-C stops it)",
        args.host,
        args.port,
    )
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        http=connections.protocol(timeout=args.request_timeout),
        backlog=connections.BACKLOG,
    )


def configure_logging(quiet: bool = False) -> None:
    """One log line per request (unless `quiet`), leaving out the record fields the format
    does not show (the logging docs' "Optimization" section): the caller's frame, thread and
    process."""
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(name)s %(message)s",
    )


def publishable_key(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="stripe_emulator publishable-key",
        description="Print the publishable key of the account a secret key names.",
    )
    parser.add_argument("secret_key", help="sk_test_… or rk_test_…")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(publishable_key_for(args.secret_key) + "\n")
    except ValueError as exc:
        parser.error(str(exc))


if __name__ == "__main__":
    main()
