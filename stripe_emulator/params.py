"""Form decoding (bracket syntax) and declarative coercion/validation of request parameters.

Decode: `a[b][c]=v`, `a[0]=x`, `a[]=x` become nested dicts and lists of strings.
Coerce: each operation declares an `Obj` spec; unknown keys, missing keys and bad values raise the
matching Stripe error with the full bracketed `param` path. Nothing is mutated by this module.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_plus

from . import errors

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_PART = re.compile(r"\[([^\[\]]*)\]")

MAX_DEPTH = 100  # bracket levels in one parameter name (Rack's default limit)
MAX_PARAMS = 2000  # parameters in one request (ours: a checkout sends fewer than 100)
MAX_INDEX_DIGITS = 9
UNSET = object()  # an empty string sent for a nullable value: "unset this"


def _path(parent: str, key: str | int) -> str:
    return f"{parent}[{key}]" if parent else str(key)


def decode(query: str | bytes) -> dict[str, Any]:
    """Parse an x-www-form-urlencoded string into nested dicts/lists (values stay strings)."""
    if isinstance(query, bytes):
        query = query.decode("utf-8", errors="replace")
    root: dict[str, Any] = {}
    if 1 + query.count("&") > MAX_PARAMS:  # as parse_qsl's max_num_fields counts them
        raise errors.TooManyParameters(limit=MAX_PARAMS)
    for raw_key, value in _pairs(query):
        if "[" not in raw_key and "]" not in raw_key and raw_key:  # a plain name: most of them
            if isinstance(root.get(raw_key), dict):
                raise errors.HashMalformed(name=raw_key, param=raw_key)
            root[raw_key] = value
            continue
        match = _KEY.match(raw_key)
        if not match:
            raise errors.ParameterNameInvalid(name=raw_key, param=raw_key)
        parts: list[str] = [match.group(1)] + _PART.findall(match.group(2))
        if len(parts) > MAX_DEPTH:  # deeper would exhaust the recursion limit: a 500
            raise errors.ParameterNestedTooDeep(name=parts[0], depth=MAX_DEPTH, param=parts[0])
        node: Any = root
        name = ""
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            name = f"{name}[{part}]" if depth else part  # the name so far, for errors
            if part == "":  # a[] appends
                if not isinstance(node, _Appendable):
                    raise errors.ArrayMalformed(name=name, param=name)
                part = str(node.next_index())
            elif isinstance(node, _Appendable) and not _is_index(part):  # a[]=x&a[b]=y
                raise errors.ArrayMalformed(name=name, param=name)
            if last:
                if part in node and isinstance(node[part], dict):
                    raise errors.HashMalformed(name=name, param=name)
                node[part] = value
            else:
                child = node.get(part)
                if child is None:
                    child = _Appendable() if parts[depth + 1] == "" else {}
                    node[part] = child
                elif not isinstance(child, dict):
                    raise errors.HashMalformed(name=name, param=name)
                node = child
    return {key: _listify(value) for key, value in root.items()}  # the root stays a hash: `0=x`


def _pairs(query: str) -> list[tuple[str, str]]:
    """`parse_qsl(query, keep_blank_values=True)`, percent-decoding only the fields that need it
    (stripe-python's are mostly plain)."""
    pairs = []
    for field in query.split("&"):
        if not field:
            continue
        name, _, value = field.partition("=")
        if "%" in field or "+" in field:
            name, value = (
                unquote_plus(name, errors="replace"),
                unquote_plus(value, errors="replace"),
            )
        pairs.append((name, value))
    return pairs


def _is_index(key: str) -> bool:
    # "²".isdigit() is True but int("²") fails; past 9 digits it is no index (and past 4300
    # digits int() refuses it): such a key stays a hash key, which the spec then refuses.
    return key.isascii() and key.isdigit() and len(key) <= MAX_INDEX_DIGITS


class _Appendable(dict):
    def next_index(self) -> int:
        return len(self)


def _listify(node: Any) -> Any:
    """Dicts whose keys are all integers (or were built by `[]`) become lists in index order."""
    if not isinstance(node, dict):
        return node
    items = {k: _listify(v) for k, v in node.items()}
    if items and (isinstance(node, _Appendable) or all(_is_index(k) for k in items)):
        return [items[k] for k in sorted(items, key=int)]
    return items if not isinstance(node, _Appendable) else []


# --- specs --------------------------------------------------------------------------


class Spec:
    nullable = False

    def coerce(self, value: Any, path: str) -> Any:  # pragma: no cover - interface
        raise NotImplementedError


class Str(Spec):
    def __init__(self, max_length: int = 5000, nullable: bool = False) -> None:
        self.max_length = max_length
        self.nullable = nullable

    def coerce(self, value: Any, path: str) -> Any:
        if not isinstance(value, str):
            raise errors.ParameterInvalidString(path, f"Invalid string: {path} must be a string")
        if value == "":
            if self.nullable:
                return UNSET
            raise errors.ParameterInvalidEmpty(path)
        if len(value) > self.max_length:
            raise errors.ParameterInvalidString(
                path,
                f"Invalid string: {value[:20]}...; must be at most {self.max_length} characters",
            )
        return value


class Email(Str):
    def coerce(self, value: Any, path: str) -> Any:
        value = super().coerce(value, path)
        if value is not UNSET and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise errors.EmailInvalid(value=value, param=path)
        return value


class Int(Spec):
    def __init__(
        self, min: int | None = None, max: int | None = None, nullable: bool = False
    ) -> None:
        self.min, self.max, self.nullable = min, max, nullable

    def coerce(self, value: Any, path: str) -> Any:
        if value == "" and self.nullable:
            return UNSET
        if not isinstance(value, str) or not re.fullmatch(r"-?\d{1,18}", value):
            raise errors.ParameterInvalidInteger(path, value if isinstance(value, str) else "")
        number = int(value)
        if self.min is not None and number < self.min:
            raise errors.ParameterOutOfRange(
                path, f"This value must be greater than or equal to {self.min}."
            )
        if self.max is not None and number > self.max:
            raise errors.ParameterOutOfRange(
                path, f"This value must be less than or equal to {self.max}."
            )
        return number


class Bool(Spec):
    def coerce(self, value: Any, path: str) -> Any:
        if value in ("true", "false"):
            return value == "true"
        raise errors.ParameterInvalidBoolean(path, value if isinstance(value, str) else "")


class Enum(Spec):
    def __init__(self, *values: str, nullable: bool = False) -> None:
        self.values = list(values)
        self.nullable = nullable

    def coerce(self, value: Any, path: str) -> Any:
        if value == "" and self.nullable:
            return UNSET
        if value not in self.values:
            raise errors.ParameterInvalidEnum(path, value, self.values)
        return value


class BoolOrEnum(Spec):
    """`off_session`: a boolean or one of a few strings."""

    def __init__(self, *values: str) -> None:
        self.values = list(values)

    def coerce(self, value: Any, path: str) -> Any:
        if value in ("true", "false"):
            return value == "true"
        if value in self.values:
            return value
        raise errors.ParameterInvalidBoolean(path, value if isinstance(value, str) else "")


class Arr(Spec):
    def __init__(self, item: Spec, max_items: int = 100, nullable: bool = False) -> None:
        self.item, self.max_items, self.nullable = item, max_items, nullable

    def coerce(self, value: Any, path: str) -> Any:
        if value == "" and self.nullable:
            return UNSET
        if isinstance(value, dict) and not value:
            return []
        if not isinstance(value, list):
            raise errors.ParameterInvalidArray(path)
        if len(value) > self.max_items:
            raise errors.ArrayTooLong(name=path, max_items=self.max_items, param=path)
        return [self.item.coerce(v, _path(path, i)) for i, v in enumerate(value)]


class Metadata(Spec):
    """`metadata`: up to 50 string keys (≤40 chars, no brackets) with values ≤500 chars."""

    nullable = True

    def coerce(self, value: Any, path: str) -> Any:
        if value == "":
            return UNSET
        if not isinstance(value, dict):
            raise errors.ParameterInvalidHash(path)
        if len(value) > 50:
            raise errors.MetadataTooManyKeys(param=path)
        out = {}
        for key, item in value.items():
            sub = _path(path, key)
            if not isinstance(item, str):
                raise errors.ParameterInvalidString(sub, f"Invalid string: {sub} must be a string")
            if len(key) > 40:
                raise errors.MetadataKeyTooLong(key=key, length=len(key), param=sub)
            if len(item) > 500:
                raise errors.MetadataValueTooLong(length=len(item), start=item[:20], param=sub)
            out[key] = item if item != "" else UNSET
        return out


class Obj(Spec):
    def __init__(
        self, fields: dict[str, Spec], required: tuple[str, ...] = (), nullable: bool = False
    ):
        self.fields, self.required, self.nullable = fields, required, nullable

    def coerce(self, value: Any, path: str) -> Any:
        if value == "" and self.nullable:
            return UNSET
        if not isinstance(value, dict):
            raise errors.ParameterInvalidHash(path)
        for key in value:
            if key not in self.fields:
                raise errors.ParameterUnknown(_path(path, key))
        for key in self.required:
            if key not in value:
                raise errors.ParameterMissing(_path(path, key))
        return {key: self.fields[key].coerce(item, _path(path, key)) for key, item in value.items()}


EXPAND = Arr(Str(), max_items=50)

ADDRESS = Obj(
    {k: Str(nullable=True) for k in ("city", "country", "line1", "line2", "postal_code", "state")},
    nullable=True,
)

BILLING_DETAILS = Obj(
    {
        "address": ADDRESS,
        "email": Str(nullable=True),
        "name": Str(nullable=True),
        "phone": Str(nullable=True),
        "tax_id": Str(nullable=True),
    }
)

SHIPPING = Obj(
    {"address": ADDRESS, "name": Str(), "phone": Str(nullable=True)},
    required=("address", "name"),
    nullable=True,
)


def list_spec(**filters: Spec) -> Obj:
    """Parameters of a list endpoint: pagination + expand + its own filters."""
    return Obj(
        {
            "limit": Int(min=1, max=100),
            "starting_after": Str(),
            "ending_before": Str(),
            "expand": EXPAND,
            **filters,
        }
    )


def parse(raw: dict[str, Any], spec: Obj) -> dict[str, Any]:
    """Validate a whole decoded request against `spec`; returns coerced params."""
    return spec.coerce(raw, "")


def clean(value: Any) -> Any:
    """Turn UNSET markers into None (for storing fresh objects)."""
    if value is UNSET:
        return None
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def merge_metadata(current: dict[str, str], update: Any) -> dict[str, str]:
    """Stripe's metadata update rules: '' clears all; a key set to '' is removed."""
    if update is UNSET:
        return {}
    merged = dict(current)
    for key, value in update.items():
        if value is UNSET:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged
