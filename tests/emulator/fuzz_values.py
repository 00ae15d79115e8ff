"""Support for the robustness tests: hypothesis strategies of parameter values, right and wrong.

`Values` draws a value for a params spec (`stripe_emulator.params`): mostly of the right kind,
often not (huge, empty, unicode and look-alike strings, nested garbage, ids of another account);
`encode` and `to_bytes` turn drawn values into form pairs and raw bodies.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

from stripe_emulator import params as p

from .fuzz_world import MULTI

UNICODE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=12)
FIXED_STRINGS = [
    "",
    " ",
    "null",
    "true",
    "0",
    "-1",
    "1e9",
    "99999999999999999999999",
    "[]",
    "{}",
    "a[b]",
    "%00",
    "\x00",
    "é✓😀",
    "﷽" * 3,
    "x" * 6000,
    "pm_card_visa",
    "pm_card_chargeDeclined",
    "pm_card_threeDSecure2Required",
    "pm_card_authenticationRequired",
    "tok_visa",
    "4242424242424242",
    "4000000000000002",
    "000001",
    "000002",
    "000003",
    "123456",
    "usd",
    "card",
    "link",
    "manual",
    "off_session",
    "http://127.0.0.1:9/return",
    "javascript:alert(1)",
    "*",
    "customer",
    "data.customer",
    "payment_method.customer.invoice_settings.default_payment_method",
    "jenny@example.com",
    MULTI,
    "link@example.com",
    "cus_doesnotexist",
    "pm_1doesnotexist",
    "seti_1doesnotexist_secret_abc",
    "csmrsess_1nope_secret_nope",
]

# Raw keys that no bracket parser should choke on.
MALFORMED_KEYS = [
    "a[",
    "a]",
    "[a]",
    "[]",
    "a[b",
    "a[[b]]",
    "a[b]c",
    "a[]b",
    "a[b][][c]",
    "a[][b]",
    "a[0][b][]",
    "metadata[a][b]",
    "metadata[]",
    "expand[][x]",
    "expand[x]",
    "expand[0][0]",
    "=",
    "&",
    "a%5Bb%5D",
    "é[ü]",
    "",
]


GARBAGE = st.recursive(
    st.one_of(st.sampled_from(FIXED_STRINGS), UNICODE),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "0", "1", "c d", "é"]), inner, max_size=3),
    ),
    max_leaves=6,
)  # decoded values of the wrong kind: strings, nested hashes, arrays
INTS = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["", "1.5", "0x10", " 1", "1099", "0", "100"]),
)
BOOLS = st.sampled_from(["true", "false", "True", "1", "", "yes", "one_off"])
METADATA = st.dictionaries(UNICODE, st.one_of(UNICODE, st.just("")), max_size=3)
EXTRA_NAMES = st.sampled_from(["bogus", "ID", "object", "livemode", "é"])


class Values:
    """Spec-guided strategies of decoded params (built once per spec, then cached)."""

    def __init__(self, strings: list[str], loose: bool = True) -> None:
        self.pool = st.sampled_from(strings)
        self.strings = st.one_of(self.pool, st.sampled_from(FIXED_STRINGS), UNICODE)
        self.loose = loose  # False: values of the right kind only (reach deeper checks)
        self._cache: dict[tuple[int, int], st.SearchStrategy] = {}

    def value(self, spec: p.Spec, depth: int = 0) -> st.SearchStrategy:
        """A value for `spec`: of the right kind or (when loose) not."""
        if depth >= 4:
            return GARBAGE
        key = (id(spec), depth)
        if key not in self._cache:
            right = self._right_kind(spec, depth)
            self._cache[key] = st.one_of(right, GARBAGE) if self.loose else right
        return self._cache[key]

    def _right_kind(self, spec: p.Spec, depth: int) -> st.SearchStrategy:
        if isinstance(spec, p.Obj):
            return self.obj(spec, depth + 1)
        if isinstance(spec, p.Arr):
            return st.lists(self.value(spec.item, depth + 1), max_size=3)
        if isinstance(spec, p.Metadata):
            return METADATA
        if isinstance(spec, p.Int):
            return INTS
        if isinstance(spec, p.Bool | p.BoolOrEnum):
            return BOOLS
        if isinstance(spec, p.Enum):
            return st.sampled_from([*spec.values, "", "bogus", spec.values[0].upper()])
        return self.strings

    def obj(self, spec: p.Obj, depth: int = 0) -> st.SearchStrategy:
        """A hash with some of `spec`'s fields (required ones usually included), maybe extras."""
        names = sorted(spec.fields)
        chosen_names = st.lists(st.sampled_from(names), unique=True, max_size=4) if names else None

        @st.composite
        def build(draw):
            chosen = draw(chosen_names) if chosen_names is not None else []
            if draw(st.booleans()):
                chosen = sorted(set(chosen) | set(spec.required))
            out: dict[str, Any] = {
                name: draw(self.value(spec.fields[name], depth)) for name in chosen
            }
            if self.loose and draw(st.integers(0, 4)) == 0:
                out[draw(EXTRA_NAMES)] = draw(GARBAGE)
            return out

        return build()


def encode(value: dict[str, Any], draw) -> list[tuple[str, str]]:
    """Flatten decoded params into form pairs, lists as `a[0]` or `a[]` (drawn)."""
    pairs: list[tuple[str, str]] = []

    def walk(prefix: str, item: Any) -> None:
        if isinstance(item, dict):
            if not item:
                pairs.append((prefix, ""))
            for key, sub in item.items():
                walk(f"{prefix}[{key}]" if prefix else key, sub)
        elif isinstance(item, list):
            if not item:
                pairs.append((prefix, ""))
            indexed = draw(st.booleans())
            for index, sub in enumerate(item):
                walk(f"{prefix}[{index if indexed else ''}]", sub)
        else:
            pairs.append((prefix, item))

    walk("", value)
    return pairs


def to_bytes(pairs: list[tuple[str | bytes, str | bytes]]) -> bytes:
    def q(part: str | bytes) -> str:
        raw = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        return quote_from_bytes(raw, safe="[]")

    return "&".join(f"{q(k)}={q(v)}" for k, v in pairs).encode()
