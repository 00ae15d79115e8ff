"""The offline Stripe.js stand-in, served by the emulator like js.stripe.com serves the real one.

- `GET /v3/` and `GET /endive/stripe.js`: stripe.js, the page-side library (`window.Stripe`): one
  script, STRIPE_JS_PARTS joined in order. Every file in `static/` parses and runs on its own: an
  IIFE registering one part on the namespace object `window.__linklabStripe` (static/common.js).
- `GET /v3/elements-inner-{type}.html`: the iframe each Element renders in (emulator origin), for
  `linkAuthentication`, `address` and `payment`. Card numbers and one-time codes stay inside it.
- `GET /v3/three-ds-2-challenge.html`: the in-page 3-D Secure modal; it frames the emulator's mock
  authentication page (`/redirect/authenticate/...`) as `#challengeFrame`.
- `GET /v3/static/{file}`: the frames' scripts and stylesheet; `common.js` (wire format: form
  encoder, client-secret pattern, API request, message marker) is in stripe.js and in every frame.
"""

from __future__ import annotations

import re
from importlib import resources

from ..call import Call
from ..http_io import HttpError, Response

ELEMENT_FRAMES = {
    # type -> (iframe title, scripts after FRAME_SCRIPTS)
    "linkAuthentication": ("Secure email input frame", ("link_authentication.js",)),
    "address": ("Secure address input frame", ("countries.js", "address.js")),
    "payment": (
        "Secure payment input frame",
        ("countries.js", "payment_card.js", "payment_link_view.js", "payment.js"),
    ),
}
# Every frame loads these first: the shared wire format, then the frame runtime (`ns.frame`).
FRAME_SCRIPTS = ("common.js", "elements.js")
# stripe.js: these files of static/, in order; each registers on window.__linklabStripe what the
# later ones read (core.js comes first because its header lists the supported surface).
STRIPE_JS_PARTS = (
    "stripe/core.js",
    "common.js",
    "stripe/element.js",
    "stripe/elements_group.js",
    "stripe/stripe_object.js",
)
_STATIC_NAME = re.compile(r"^[a-z_]+\.(js|css)$")
_TYPES = {"js": b"text/javascript; charset=utf-8", "css": b"text/css; charset=utf-8"}
_HTML = b"text/html; charset=utf-8"
_HEADERS = [(b"cache-control", b"no-cache"), (b"x-content-type-options", b"nosniff")]


def script(call: Call) -> Response:
    """`/v3/`, `/v3` and `/endive/stripe.js`: the page-side library, loadable from any origin."""
    return _text(stripe_js(), _TYPES["js"], cors=True)


def static_file(call: Call) -> Response:
    """`/v3/static/{name}`: the frames' scripts and stylesheet."""
    name = call.path_params["name"]
    if name == "stripe.js":
        return _text(stripe_js(), _TYPES["js"])
    if _STATIC_NAME.match(name) and _exists("static", name):
        return _file("static", name, _TYPES[name.rsplit(".", 1)[1]])
    raise HttpError(404, "Not Found", "Not Found")


def element_frame(call: Call) -> Response:
    """`/v3/elements-inner-{type}.html`: the iframe one Element renders in."""
    element_type = call.path_params["type"]
    if element_type not in ELEMENT_FRAMES:
        raise HttpError(404, "Not Found", "Not Found")
    return _element_frame(element_type)


def three_ds_modal(call: Call) -> Response:
    """`/v3/three-ds-2-challenge.html`: the in-page 3-D Secure modal."""
    return _file("templates", "three_ds_challenge.html", _HTML)


def stripe_js() -> str:
    """The Stripe.js stand-in as one script (its supported surface listed at the top)."""
    return "".join(_read("static", part) for part in STRIPE_JS_PARTS)


def _element_frame(element_type: str) -> Response:
    title, scripts = ELEMENT_FRAMES[element_type]
    tags = "\n".join(
        # Relative to the frame (/v3/elements-inner-…): they resolve under a proxy's prefix too.
        f'  <script src="static/{name}" defer></script>'
        for name in (*FRAME_SCRIPTS, *scripts)
    )
    html = (
        _read("templates", "element_frame.html")
        .replace("{{title}}", title)
        .replace("{{type}}", element_type)
        .replace("{{scripts}}", tags)
    )
    return Response(200, html.encode(), [(b"content-type", _HTML), *_HEADERS])


def _file(folder: str, name: str, content_type: bytes) -> Response:
    return _text(_read(folder, name), content_type)


def _text(text: str, content_type: bytes, cors: bool = False) -> Response:
    headers = [(b"content-type", content_type), *_HEADERS]
    if cors:
        headers.append((b"access-control-allow-origin", b"*"))
    return Response(200, text.encode(), headers)


def plain(status: int, text: str, headers: list | None = None) -> Response:
    return Response(
        status, text.encode(), [(b"content-type", b"text/plain; charset=utf-8"), *(headers or [])]
    )


def _exists(folder: str, name: str) -> bool:
    return resources.files(__package__).joinpath(folder, name).is_file()


def _read(folder: str, name: str) -> str:
    return resources.files(__package__).joinpath(folder, name).read_text(encoding="utf-8")
