"""Nested parameters SetupIntents and PaymentIntents share (stripe-python 16.1.0 params), and
what the emulator does with those it has no machinery for.

Every nested hash has a real spec: unknown keys get `parameter_unknown`, wrong types
`parameter_invalid_*`. Parameters Stripe accepts are then either applied or refused:
- applied: card `mandate_options` (India e-mandates; stored and echoed in full, no test card is
  Indian so nothing else changes), us_bank_account `financial_connections`/`mandate_options`/
  `verification_method` (echoed), PaymentIntent `payment_details` (echoed).
- accepted without effect, because it changes nothing the emulator models: `mandate_data` for
  card and link (the emulator creates no Mandate objects for them; `mandate` stays null),
  us_bank_account `networks` (the object has no such field), `radar_options[referrer]`.
- refused with a 400 naming the parameter, because they would change the result and need
  objects the emulator does not have: `transfer_data` (Connect: no connected accounts exist),
  `hooks[inputs][tax][calculation]` (no Tax calculations), `amount_details` (Level 2/3 data),
  `radar_options[session]` (no Radar sessions), card `installments` (Mexican cards only) and
  card `three_d_secure` (results of 3-D Secure run elsewhere), and `mandate_data` with a
  us_bank_account (its Mandate would be created).
"""

from __future__ import annotations

from typing import Any

from .. import errors
from .. import params as p

CARD_NETWORKS = (
    "amex cartes_bancaires diners discover eftpos_au girocard interac jcb link mastercard unionpay "
    "unknown visa"
).split()


def card_mandate_options(with_currency: bool) -> p.Obj:
    """`payment_method_options[card][mandate_options]` (SetupIntents also take `currency`)."""
    fields: dict[str, p.Spec] = {
        "amount": p.Int(min=0),
        "amount_type": p.Enum("fixed", "maximum"),
        "description": p.Str(max_length=200),
        "end_date": p.Int(),
        "interval": p.Enum("day", "month", "sporadic", "week", "year"),
        "interval_count": p.Int(min=1),
        "reference": p.Str(max_length=80),
        "start_date": p.Int(),
        "supported_types": p.Arr(p.Enum("india")),
    }
    required = ("amount", "amount_type", "interval", "reference", "start_date")
    if with_currency:
        fields["currency"] = p.Str(max_length=10)
        required = (*required, "currency")
    return p.Obj(fields, required=required)


CARD_THREE_D_SECURE = p.Obj(
    {
        "ares_trans_status": p.Enum("A", "C", "I", "N", "R", "U", "Y"),
        "cryptogram": p.Str(),
        "electronic_commerce_indicator": p.Enum("01", "02", "05", "06", "07"),
        "exemption_indicator": p.Enum("low_risk", "none"),
        "network_options": p.Obj(
            {
                "cartes_bancaires": p.Obj(
                    {
                        "cb_avalgo": p.Enum("0", "1", "2", "3", "4", "A"),
                        "cb_exemption": p.Str(max_length=4),
                        "cb_score": p.Int(),
                    },
                    required=("cb_avalgo",),
                )
            }
        ),
        "requestor_challenge_indicator": p.Str(max_length=2),
        "transaction_id": p.Str(),
        "version": p.Enum("1.0.2", "2.1.0", "2.2.0", "2.3.0", "2.3.1"),
    },
    required=("cryptogram", "transaction_id", "version"),
)

CARD_INSTALLMENTS = p.Obj(
    {
        "enabled": p.Bool(),
        "plan": p.Obj(
            {
                "count": p.Int(min=1),
                "interval": p.Enum("month"),
                "type": p.Enum("bonus", "fixed_count", "revolving"),
            },
            required=("type",),
            nullable=True,
        ),
    }
)

US_BANK_ACCOUNT_FINANCIAL_CONNECTIONS = p.Obj(
    {
        "filters": p.Obj({"account_subcategories": p.Arr(p.Enum("checking", "savings"))}),
        "permissions": p.Arr(p.Enum("balances", "ownership", "payment_method", "transactions")),
        "prefetch": p.Arr(p.Enum("balances", "ownership", "transactions")),
        "return_url": p.Str(),
    }
)
US_BANK_ACCOUNT_MANDATE_OPTIONS = p.Obj({"collection_method": p.Enum("paper", nullable=True)})
US_BANK_ACCOUNT_NETWORKS = p.Obj({"requested": p.Arr(p.Enum("ach", "us_domestic_wire"))})
VERIFICATION_METHOD = p.Enum("automatic", "instant", "microdeposits")


def mandate_data(confirming: bool) -> p.Obj:
    """`mandate_data`: on create `customer_acceptance` and its `online` details are required; a
    confirmation (e.g. by Stripe.js with a publishable key) may send them partly or let Stripe
    infer them from the request (`online[infer_from_client]`)."""
    online: dict[str, p.Spec] = {"ip_address": p.Str(), "user_agent": p.Str()}
    if confirming:
        online["infer_from_client"] = p.Bool()
    acceptance = p.Obj(
        {
            "accepted_at": p.Int(min=0),
            "offline": p.Obj({}),
            "online": p.Obj(online, required=() if confirming else ("ip_address", "user_agent")),
            "type": p.Enum("offline", "online"),
        },
        required=("type",),
    )
    return p.Obj(
        {"customer_acceptance": acceptance},
        required=() if confirming else ("customer_acceptance",),
        nullable=True,
    )


def check_mandate_data(value: Any, publishable: bool, pm_type: str | None) -> None:
    """`mandate_data` after the spec: the acceptance hash matches its type; `infer_from_client`
    only from a browser (publishable key); nothing that would need a Mandate object."""
    if not isinstance(value, dict):  # "" unsets: nothing to check
        return
    acceptance = value.get("customer_acceptance") or {}
    base = "mandate_data[customer_acceptance]"
    kind = acceptance.get("type")
    other = "offline" if kind == "online" else "online"
    if kind is not None and other in acceptance:
        raise errors.AcceptanceTypeMismatch(
            base=base, other=other, kind=kind, param=f"{base}[{other}]"
        )
    if kind == "online" and "online" not in acceptance:
        raise errors.ParameterMissing(f"{base}[online]")
    online = acceptance.get("online") or {}
    if "infer_from_client" in online and not publishable:
        raise errors.InferFromClientNeedsPublishableKey(
            base=base, param=f"{base}[online][infer_from_client]"
        )
    if pm_type == "us_bank_account":
        raise errors.NotSupported(
            "mandate_data",
            "Mandates for us_bank_account payment methods (`mandate_data`) are not supported by "
            "this emulator.",
        )


# --- shaping what is stored ------------------------------------------------------------------


def mandate_options_object(given: dict[str, Any], with_currency: bool) -> dict[str, Any]:
    """A card `mandate_options` hash as the object shows it: every field, null when not given."""
    keys = ["amount", "amount_type", "description", "end_date", "interval", "interval_count"]
    keys += ["reference", "start_date", "supported_types"]
    if with_currency:
        keys.insert(2, "currency")
    return {key: given.get(key) for key in keys}


def merge_options(current: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """Nested hash update: hashes merge key by key, `""` (UNSET) clears a key, lists replace."""
    merged = dict(current)
    for key, value in given.items():
        if value is p.UNSET:
            merged[key] = None
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_options(merged[key], value)
        else:
            merged[key] = p.clean(value)
    return merged


# --- refusals ----------------------------------------------------------------------------------


def refuse_unsupported_card_options(options: Any, base: str) -> None:
    """Card options that need machinery the emulator lacks (see the module docstring)."""
    card = options.get("card") if isinstance(options, dict) else None
    if not isinstance(card, dict):
        return
    if "installments" in card:
        raise errors.NotSupported(
            f"{base}[card][installments]",
            "Card installments (`payment_method_options[card][installments]`) are not supported "
            "by this emulator: they need a Mexican card and account.",
        )
    if "three_d_secure" in card:
        raise errors.NotSupported(
            f"{base}[card][three_d_secure]",
            "Results of 3-D Secure run outside Stripe (`payment_method_options[card]"
            "[three_d_secure]`) are not supported by this emulator.",
        )


def refuse_unsupported_payment_params(params: dict[str, Any]) -> None:
    """PaymentIntent parameters Stripe accepts that would need objects the emulator lacks."""
    if "transfer_data" in params:
        raise errors.NotSupported(
            "transfer_data",
            "Connect destination charges (`transfer_data`) are not supported by this emulator: "
            "it has no connected accounts.",
        )
    if "amount_details" in params:
        raise errors.NotSupported(
            "amount_details",
            "Amount details (`amount_details`: line items, shipping and tax for Level 2/3 "
            "data) are not supported by this emulator.",
        )
    calculation = (((params.get("hooks") or {}).get("inputs") or {}).get("tax") or {}).get(
        "calculation"
    )
    if calculation not in (None, p.UNSET):
        raise errors.NotSupported(
            "hooks[inputs][tax][calculation]",
            "Tax calculations (`hooks[inputs][tax][calculation]`) are not supported by this "
            "emulator.",
        )
    if "session" in (params.get("radar_options") or {}):
        raise errors.NotSupported(
            "radar_options[session]",
            "Radar sessions (`radar_options[session]`) are not supported by this emulator.",
        )
    refuse_unsupported_card_options(params.get("payment_method_options"), "payment_method_options")
