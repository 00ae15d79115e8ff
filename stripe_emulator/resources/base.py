"""Shared base for stored Stripe objects: the API-shaped dict plus private state."""

from __future__ import annotations

from typing import Any

from ..errors import ResourceMissing


class Resource:
    """A stored object. `data` is exactly what the API returns (ids for expandable fields)."""

    object_name = ""
    noun = ""  # as used in "No such <noun>: '<id>'"
    collection = ""  # attribute of Account holding these objects

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @property
    def id(self) -> str:
        return self.data["id"]

    def to_dict(self) -> dict[str, Any]:
        return self.data


def get_or_404(account, cls: type[Resource], object_id: str, param: str = "id") -> Any:
    obj = getattr(account, cls.collection).get(object_id) if isinstance(object_id, str) else None
    if obj is None:
        raise ResourceMissing(cls.noun, object_id, param=param)
    return obj
