"""Matching a request's method and path to one entry of the route list (`routes.ROUTES`).

Literal paths are a dict lookup; `{name}` templates (whole segments or inside one, as in
`/v3/elements-inner-{type}.html`) are tried in table order and bind `[^/]+`.
"""

from __future__ import annotations

import re
from typing import Protocol


class RouteLike(Protocol):
    method: str
    path: str


class Router:
    def __init__(self, routes: list) -> None:
        self.routes = list(routes)
        self.literal: dict[tuple[str, str], RouteLike] = {}
        self.templated: list[tuple[str, re.Pattern, RouteLike]] = []
        for route in self.routes:
            if "{" in route.path:
                self.templated.append((route.method, _compile(route.path), route))
            else:
                self.literal.setdefault((route.method, route.path), route)

    def match(self, method: str, path: str) -> tuple[RouteLike | None, dict[str, str]]:
        """Returns (route, path params); (None, {}) when no route has this method and path."""
        route = self.literal.get((method, path))
        if route:
            return route, {}
        for route_method, pattern, route in self.templated:
            if route_method == method:
                found = pattern.match(path)
                if found:
                    return route, found.groupdict()
        return None, {}

    def methods(self, path: str) -> list[str]:
        """The methods some route answers at this path (for a 405's Allow header)."""
        found = {m for (m, p) in self.literal if p == path}
        found |= {m for m, pattern, _ in self.templated if pattern.match(path)}
        return sorted(found)


def _compile(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$")
