"""Start or stop the shared background emulator: `python scripts/emulator.py start|stop [--port N]`.

`make lab` starts it (it keeps running after JupyterLab stops; `make stop` stops it); `make test`
runs the notebooks against a fresh one on its own port and stops it afterwards.
"""

from __future__ import annotations

import argparse

from helpers.backend import EMULATOR_PORT
from helpers.servers import ensure_emulator, stop_emulator


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="scripts/emulator.py", description=__doc__)
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("--port", type=int, default=EMULATOR_PORT)
    args = parser.parse_args(argv)
    if args.action == "start":
        started = ensure_emulator(args.port)
        if started.pid is None:
            print(f"Emulator already answering at {started.base_url}")
        else:
            print(
                f"Emulator started at {started.base_url} (pid {started.pid}, log {started.log_path})"
            )
    elif stop_emulator(args.port):
        print(f"Emulator on port {args.port} stopped")


if __name__ == "__main__":
    main()
