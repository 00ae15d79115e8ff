"""Customer: create, retrieve, update, delete, list.

`invoice_settings`: `custom_fields`, `footer` and `rendering_options[amount_tax_display]` are
stored and echoed; `default_payment_method` must name a PaymentMethod attached to this customer
(api/customer.py checks it); `rendering_options[template]` names an invoice rendering template,
which the emulator does not have: refused with a 400 rather than ignored.
A deleted customer is gone from every operation except retrieve, which answers its deleted stub.
"""

from __future__ import annotations

from typing import Any

from .. import errors
from .. import params as p
from ..context import Ctx
from .base import Resource, get_or_404
from .event import CreatedRange

_SETTABLE = ("address", "description", "email", "name", "phone", "shipping")

CREATE = p.Obj(
    {
        "address": p.ADDRESS,
        "balance": p.Int(),
        "description": p.Str(nullable=True),
        "email": p.Email(max_length=512, nullable=True),
        "expand": p.EXPAND,
        "invoice_prefix": p.Str(max_length=12),
        "invoice_settings": p.Obj(
            {
                "custom_fields": p.Arr(
                    p.Obj(
                        {"name": p.Str(max_length=40), "value": p.Str(max_length=140)},
                        required=("name", "value"),
                    ),
                    max_items=4,
                    nullable=True,
                ),
                "default_payment_method": p.Str(nullable=True),
                "footer": p.Str(max_length=5000, nullable=True),
                "rendering_options": p.Obj(
                    {
                        "amount_tax_display": p.Enum(
                            "exclude_tax", "include_inclusive_tax", nullable=True
                        ),
                        "template": p.Str(),
                    },
                    nullable=True,
                ),
            }
        ),
        "metadata": p.Metadata(),
        "name": p.Str(max_length=256, nullable=True),
        "next_invoice_sequence": p.Int(min=1),
        "payment_method": p.Str(),
        "phone": p.Str(max_length=20, nullable=True),
        "preferred_locales": p.Arr(p.Str()),
        "shipping": p.SHIPPING,
        "tax_exempt": p.Enum("exempt", "none", "reverse", nullable=True),
    }
)
UPDATE = p.Obj({k: v for k, v in CREATE.fields.items() if k != "payment_method"})
LIST = p.list_spec(email=p.Str(max_length=512), created=CreatedRange(), test_clock=p.Str())
_TEMPLATE = "invoice_settings[rendering_options][template]"


class Customer(Resource):
    object_name = "customer"
    noun = "customer"
    collection = "customers"

    @classmethod
    def create(cls, ctx: Ctx, params: dict[str, Any]) -> Customer:
        account = ctx.account
        cid = account.ids.new("cus")
        prefix = params.get("invoice_prefix") or account.ids.token(8, "invoice_prefix").upper()
        data = {
            "id": cid,
            "object": "customer",
            "address": None,
            "balance": params.get("balance", 0),
            "created": ctx.now(),
            "currency": None,
            "default_source": None,
            "delinquent": False,
            "description": None,
            "discount": None,
            "email": None,
            "invoice_prefix": prefix,
            "invoice_settings": {
                "custom_fields": None,
                "default_payment_method": None,
                "footer": None,
                "rendering_options": None,
            },
            "livemode": False,
            "metadata": {},
            "name": None,
            "next_invoice_sequence": params.get("next_invoice_sequence", 1),
            "phone": None,
            "preferred_locales": params.get("preferred_locales", []),
            "shipping": None,
            "tax_exempt": "none",
            "test_clock": None,
            "business_name": None,
            "customer_account": None,
            "individual_name": None,
        }
        customer = cls(data)
        customer.apply(params)
        return customer

    def apply(self, params: dict[str, Any]) -> None:
        """Copy settable params onto the object (params are already validated)."""
        data = self.data
        for key in _SETTABLE:
            if key in params:
                data[key] = p.clean(params[key])
        if "metadata" in params:
            data["metadata"] = p.merge_metadata(data["metadata"], params["metadata"])
        if "tax_exempt" in params:
            data["tax_exempt"] = p.clean(params["tax_exempt"]) or "none"
        if "balance" in params:
            data["balance"] = params["balance"]
        if "preferred_locales" in params:
            data["preferred_locales"] = params["preferred_locales"]
        if "invoice_settings" in params:  # a new dict: the old one stays as it was
            data["invoice_settings"] = _invoice_settings(
                data["invoice_settings"], params["invoice_settings"]
            )

    def deleted_dict(self) -> dict[str, Any]:
        return {"id": self.id, "object": "customer", "deleted": True}


def check_invoice_settings(params: dict[str, Any]) -> None:
    """What the spec cannot say about `invoice_settings` (default_payment_method: api)."""
    options = (params.get("invoice_settings") or {}).get("rendering_options")
    if isinstance(options, dict) and "template" in options:
        raise errors.NotSupported(
            _TEMPLATE,
            f"Invoice rendering templates (`{_TEMPLATE}`) are not supported by this emulator.",
        )


def _invoice_settings(current: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    settings = dict(current)
    for key in ("custom_fields", "default_payment_method", "footer"):
        if key in given:
            settings[key] = p.clean(given[key])
    if "rendering_options" in given:
        options = given["rendering_options"]
        if options is p.UNSET:
            settings["rendering_options"] = None
        else:
            base = settings["rendering_options"] or {"amount_tax_display": None, "template": None}
            settings["rendering_options"] = {**base, **p.clean(options)}
    return settings


def find(ctx: Ctx, customer_id: str, param: str = "id") -> Customer:
    return get_or_404(ctx.account, Customer, customer_id, param)
