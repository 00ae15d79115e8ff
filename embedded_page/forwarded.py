"""Where the browser sees this page: its path under a reverse proxy, if one serves it there.

Behind JupyterHub's jupyter-server-proxy the browser reaches the page at
`/user/alice/proxy/4302/…` while the page receives `/…`; the proxy says so in
`X-Forwarded-Prefix` (as Werkzeug's ProxyFix reads it) and rewrites the path-absolute `Location`
of our redirects itself. So the page needs the prefix only for the links in its HTML; its script
finds its URLs relative to itself (static/checkout.js). Cookies keep `Path=/`: the browser sends
them on the hub's origin as on 127.0.0.1 (where ports do not separate cookies either).
Without a proxy the prefix is "".
"""

from __future__ import annotations

import re

from starlette.requests import Request

_PREFIX = re.compile(r"^(/[A-Za-z0-9._~%!$&'()*+,;=:@-]+)+$")


def base_path(request: Request) -> str:
    """`/user/alice/proxy/4302` behind a proxy that says so, else "" (never a trailing slash)."""
    prefix = request.headers.get("x-forwarded-prefix", "")[:512].rstrip("/")
    if not _PREFIX.match(prefix) or "/../" in prefix + "/" or "/./" in prefix + "/":
        return ""
    return prefix


def template_context(request: Request) -> dict[str, str]:
    """For every template: `base`, to put before the page's own absolute paths."""
    return {"base": base_path(request)}
