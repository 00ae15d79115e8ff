"""Stripe's test cards, one row each: what a card number does (docs/facts/test_cards.md#outcomes-by-card, docs/facts/test_cards.md).

Each `Card` is a test profile. Outcomes:
- `setup`: what confirming a SetupIntent (or attaching) does: "ok", "3ds" (requires_action), or
  "decline" (issuer decline: `decline` says how; such cards cannot be attached to a Customer).
- `on_session`: an on-session payment: "ok" or "3ds" (authentication, then `charge_decline` applies).
- `off_session`: an off-session payment: "ok", "authentication_required" (402), "decline"
  (402 with `charge_decline`), or "unless_set_up": authentication_required (402) until the
  PaymentMethod was set up for off-session use (a succeeded SetupIntent with usage off_session,
  or a succeeded payment with setup_future_usage=off_session), then "ok" (docs/facts/test_cards.md#outcomes-by-card).
- `charge_decline`: the decline any payment gets (after authentication, if any); for issuer-decline
  cards it equals `decline`. None: payments succeed.
Any Luhn-valid number not in the table behaves like a generic successful card of its brand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decline:
    code: str
    decline_code: str | None
    message: str
    param: str | None = None  # e.g. "cvc" for incorrect_cvc


@dataclass(frozen=True)
class Card:
    number: str
    brand: str  # PaymentMethod card.brand: visa, mastercard, amex, discover, diners, jcb, unionpay
    funding: str  # credit | debit | prepaid | unknown
    country: str
    display_brand: str  # visa, mastercard, american_express, diners_club, union_pay, ...
    setup: str = "ok"  # ok | 3ds | decline
    decline: Decline | None = None
    on_session: str = "ok"  # ok | 3ds
    off_session: str = "ok"  # ok | authentication_required | decline | unless_set_up
    charge_decline: Decline | None = None
    networks: tuple[str, ...] = ()  # card.networks.available; () = (brand,)
    three_d_secure_supported: bool = True
    cvc_check: str = "pass"  # result once the card is verified (attach / setup / charge)
    address_line1_check: str = "pass"
    address_postal_code_check: str = "pass"

    @property
    def last4(self) -> str:
        return self.number[-4:]

    @property
    def available_networks(self) -> list[str]:
        return list(self.networks or (self.brand,))


GENERIC = Decline("card_declined", "generic_decline", "Your card was declined.")
INSUFFICIENT = Decline("card_declined", "insufficient_funds", "Your card has insufficient funds.")
LOST = Decline("card_declined", "lost_card", "Your card was declined.")
STOLEN = Decline("card_declined", "stolen_card", "Your card was declined.")
EXPIRED = Decline("expired_card", None, "Your card has expired.", "exp_month")
INCORRECT_CVC = Decline("incorrect_cvc", None, "Your card's security code is incorrect.", "cvc")
PROCESSING = Decline(
    "processing_error",
    None,
    "An error occurred while processing your card. Try again in a little bit.",
)
VELOCITY = Decline(
    "card_declined",
    "card_velocity_exceeded",
    "Your card was declined for making repeated attempts too frequently or exceeding its amount "
    "limit.",
)
FRAUDULENT = Decline("card_declined", "fraudulent", "Your card was declined.")
AUTHENTICATION_REQUIRED = Decline(
    "authentication_required",
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
)

_DISPLAY = {
    "amex": "american_express",
    "diners": "diners_club",
    "unionpay": "union_pay",
}


def _card(number: str, brand: str, funding: str = "credit", country: str = "US", **kw) -> Card:
    display = kw.pop("display_brand", _DISPLAY.get(brand, brand))
    return Card(number, brand, funding, country, display, **kw)


def _declining(number: str, decline: Decline, **kw) -> Card:
    return _card(
        number,
        "visa",
        setup="decline",
        decline=decline,
        off_session="decline",
        charge_decline=decline,
        **kw,
    )


def _three_ds(number: str, country: str, off_session: str, **kw) -> Card:
    return _card(
        number,
        "visa",
        country=country,
        setup="3ds",
        on_session="3ds",
        off_session=off_session,
        **kw,
    )


_TABLE: list[Card] = [
    # successful cards by brand (docs/facts/test_cards.md#successful-cards)
    _card("4242424242424242", "visa"),
    _card("4000056655665556", "visa", "debit"),
    _card("5555555555554444", "mastercard"),
    _card("2223003122003222", "mastercard"),
    _card("5200828282828210", "mastercard", "debit"),
    _card("5105105105105100", "mastercard", "prepaid"),
    _card("378282246310005", "amex", three_d_secure_supported=False),
    _card("371449635398431", "amex"),
    _card("6011111111111117", "discover"),
    _card("6011000990139424", "discover"),
    _card("6011981111111113", "discover", "debit"),
    _card("3056930009020004", "diners"),
    _card("36227206271667", "diners"),
    _card("6555900000604105", "discover"),
    _card("3566002020360505", "jcb"),
    _card("6200000000000005", "unionpay"),
    _card("6200000000000047", "unionpay", "debit"),
    _card("6205500000000000004", "unionpay"),
    # co-badged
    _card(
        "4000002500001001",
        "visa",
        country="FR",
        display_brand="cartes_bancaires",
        networks=("cartes_bancaires", "visa"),
    ),
    _card(
        "5555552500001001",
        "mastercard",
        country="FR",
        display_brand="cartes_bancaires",
        networks=("cartes_bancaires", "mastercard"),
    ),
    _card(
        "4000050360000001",
        "visa",
        country="AU",
        display_brand="eftpos_australia",
        networks=("eftpos_au", "visa"),
    ),
    _card(
        "5555050360000080",
        "mastercard",
        country="AU",
        display_brand="eftpos_australia",
        networks=("eftpos_au", "mastercard"),
    ),
    # by country
    _card("4000002500000003", "visa", country="FR"),
    _card("4000002760000016", "visa", country="DE"),
    _card("4000008260000000", "visa", country="GB"),
    _card("4000003720000005", "visa", country="IE"),
    # declines (docs/facts/test_cards.md#declines-and-radar)
    _declining("4000000000000002", GENERIC),
    _declining("4000000000009995", INSUFFICIENT),
    _declining("4000000000009987", LOST),
    _declining("4000000000009979", STOLEN),
    _declining("4000000000000069", EXPIRED),
    _declining("4000000000000127", INCORRECT_CVC, cvc_check="fail"),
    _declining("4000000000000119", PROCESSING),
    _declining("4000000000006975", VELOCITY),
    _card("4000000000000341", "visa", off_session="decline", charge_decline=GENERIC),
    # Radar
    _card("4100000000000019", "visa", off_session="decline", charge_decline=FRAUDULENT),
    _card("4000000000004954", "visa", off_session="decline", charge_decline=FRAUDULENT),
    _card("4000000000009235", "visa"),
    _card("4000000000000101", "visa", cvc_check="fail"),
    _card("4000000000000036", "visa", address_postal_code_check="fail"),
    _card("4000000000000028", "visa", address_line1_check="fail"),
    _card("4000000000000010", "visa", address_line1_check="fail", address_postal_code_check="fail"),
    _card(
        "4000000000000044",
        "visa",
        address_line1_check="unavailable",
        address_postal_code_check="unavailable",
    ),
    # 3-D Secure (docs/facts/test_cards.md#3-d-secure-cards)
    _three_ds("4000002500003155", "FR", "unless_set_up"),
    _three_ds("4000002760003184", "DE", "authentication_required"),
    _card("4000003800000446", "visa", on_session="3ds"),  # "already set up": off-session ok
    _three_ds("4000008260003178", "GB", "decline", charge_decline=INSUFFICIENT),
    # documented decision: 3DS2-required cards need authentication off-session too (unconfirmed: docs/facts/test_cards.md#outcomes-by-card)
    _three_ds("4000000000003220", "IE", "authentication_required"),
    _three_ds("4000008400000027", "US", "authentication_required"),
    _three_ds("4000008400001629", "US", "decline", charge_decline=GENERIC),
    _declining("4000008400001280", GENERIC),
    _card("4000000000003055", "visa"),
    _card("4000000000003097", "visa"),
    _card("4000000032200000", "visa"),
]

CARDS: dict[str, Card] = {card.number: card for card in _TABLE}


def luhn_ok(number: str) -> bool:
    """True for 12–19 digit numbers passing the Luhn checksum."""
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for i, char in enumerate(reversed(number)):
        digit = int(char)
        if i % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def lookup(number: str) -> Card | None:
    return CARDS.get(number)


def brand_for(number: str) -> str:
    """The brand a card number's prefix (IIN range) implies."""
    two, four = int(number[:2] or 0), int(number[:4] or 0)
    if number.startswith("4"):
        return "visa"
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return "mastercard"
    if two in (34, 37):
        return "amex"
    if number.startswith(("6011", "65")) or 644 <= int(number[:3] or 0) <= 649:
        return "discover"
    if two in (36, 38, 39) or 300 <= int(number[:3] or 0) <= 305:
        return "diners"
    if two == 35:
        return "jcb"
    if two == 62:
        return "unionpay"
    return "unknown"


def default_card(number: str) -> Card:
    """The profile of `number`: its table entry, else a generic successful card of its brand."""
    known = CARDS.get(number)
    if known is not None:
        return known
    brand = brand_for(number)
    display = _DISPLAY.get(brand, "other" if brand == "unknown" else brand)
    return Card(number, brand, "credit", "US", display)


# --- Every test PaymentMethod and token of the testing page -------------------------------
# https://docs.stripe.com/testing lists, section by section, card numbers and the `pm_card_*`
# PaymentMethods and `tok_*` tokens that stand for them. Cards not above are added here; a card
# whose only effect is outside what this emulator models (disputes, refunds, balances, HSA/FSA
# product codes, Radar scores) behaves like a successful card of its brand and country.

# "Simulate a payment by country": Visa cards (the US one is 4242…; FR, DE, GB, IE are above).
# Each has a `pm_card_<country>` / `tok_<country>` name, except SA (none) and TH (`_credit`).
BY_COUNTRY: dict[str, str] = {
    "AR": "4000000320000021", "BR": "4000000760000002", "CA": "4000001240000000",
    "CL": "4000001520000001", "CO": "4000001700000003", "CR": "4000001880000005",
    "EC": "4000002180000000", "MX": "4000004840008001", "PA": "4000005910000000",
    "PY": "4000006000000066", "PE": "4000006040000068", "UY": "4000008580000003",
    "AE": "4000007840000001", "AT": "4000000400000008", "BE": "4000000560000004",
    "BG": "4000001000000000", "BY": "4000001120000005", "HR": "4000001910000009",
    "CY": "4000001960000008", "CZ": "4000002030000002", "DK": "4000002080000001",
    "EE": "4000002330000009", "FI": "4000002460000001", "GI": "4000002920000005",
    "GR": "4000003000000030", "HU": "4000003480000005", "IT": "4000003800000008",
    "LV": "4000004280000005", "LI": "4000004380000004", "LT": "4000004400000000",
    "LU": "4000004420000006", "MT": "4000004700000007", "NL": "4000005280000002",
    "NO": "4000005780000007", "PL": "4000006160000005", "PT": "4000006200000007",
    "RO": "4000006420000001", "SA": "4000006820000007", "SI": "4000007050000006",
    "SK": "4000007030000001", "ES": "4000007240000007", "SE": "4000007520000008",
    "CH": "4000007560000009", "AU": "4000000360000006", "CN": "4000001560000002",
    "HK": "4000003440000004", "IN": "4000003560000008", "JP": "4000003920000003",
    "MY": "4000004580000002", "NZ": "4000005540000008", "SG": "4000007020000003",
    "TW": "4000001580000008", "TH": "4000007640000003",
}  # fmt: skip
_MORE_CARDS: list[Card] = [
    *(_card(number, "visa", country=country) for country, number in BY_COUNTRY.items()),
    _card("5200007840000022", "mastercard", country="AE"),
    _card("4000058260000005", "visa", "debit", country="GB"),
    _card("5555558265554449", "mastercard", country="GB"),
    _card("3530111333300000", "jcb", country="JP"),
    _card("4000057640000008", "visa", "debit", country="TH"),
    # "Simulate an HSA or FSA card payment"
    _card("4000051230000072", "visa", "debit"),
    _card("5200828282828897", "mastercard", "debit"),
    # "Fraud prevention": scores and controls this emulator does not model
    _card("4000008400000407", "visa"),
    _card("4000008400000159", "visa"),
    _card("4000008400001017", "visa"),
    _card("4000008405600003", "visa"),
    _card("4000058400307872", "visa", cvc_check="fail"),
    _card("4000058400306072", "visa", address_postal_code_check="fail"),
    # "Simulate a dispute", "Dispute prevention", "asynchronous refund", "available balance":
    # the payment succeeds (what follows it is not emulated)
    *(
        _card(number, brand_for(number))
        for number in (
            "4000000000000259",
            "4000000000002685",
            "4000000000001976",
            "4000000000005423",
            "4000000404000079",
            "4000000404000038",
            "4000008400000779",
            "5105008400000002",
            "4000000001000043",
            "4000000404004816",
            "4000000404005649",
            "5105000300000018",
            "4000000000007726",
            "4000000000005126",
            "4000000000000077",
        )
    ),  # fmt: skip
    _card("4000003720000278", "visa", country="IE"),
]
# The rows above keep their profiles; the new ones only fill in numbers they lack.
# The rows of _TABLE keep their profiles; _MORE_CARDS only fill in numbers they lack.
CARDS = {**{card.number: card for card in _MORE_CARDS}, **CARDS}
