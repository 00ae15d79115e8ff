"""`/react`: the guide's React `Checkout.js` (embedded_page/react/), built by `make react`.

The same checkout as `/checkout`, written the guide's way with `@stripe/react-stripe-js`, and
using the same routes (`/config`, `/secret`, `/order/complete`; its return_url adds
`checkout=react`, so a setup that was not saved comes back here). The bundle is built with npm
(Vite) into `react/dist/` and never committed: without it `/react` says how to build it, and the
rest of the page works as before.

    GET /react            react/dist/index.html
    GET /react/assets/…   the bundle Vite wrote next to it
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from .responses import NO_STORE, error_page

BUILD = Path(__file__).parent / "react" / "dist"
INDEX = BUILD / "index.html"
NOT_BUILT = (
    "The React checkout is not built yet. Run `make react` in the Link Lab folder (it needs "
    "Node.js and npm, e.g. `apt install nodejs npm`), then reload this page. The plain "
    "checkout page works without it."
)


def react_checkout(request: Request) -> Response:
    if not INDEX.is_file():
        return error_page(request, 503, "The React checkout is not built", NOT_BUILT)
    return FileResponse(INDEX, headers=NO_STORE)  # names the bundle of the latest build


async def built_assets(scope: Scope, receive: Receive, send: Send) -> None:
    """Vite's hashed bundle files, from the latest build; 404 while nothing is built."""
    assets = BUILD / "assets"
    if not assets.is_dir():
        await Response("Not Found", status_code=404)(scope, receive, send)
        return
    await StaticFiles(directory=assets)(scope, receive, send)


ROUTES = [
    Route("/react", react_checkout, methods=["GET"], name="react"),
    Mount("/react/assets", built_assets, name="react_assets"),
]
