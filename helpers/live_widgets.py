"""Buttons for live use (workshops, experiments): try a one-time code, run the scripted customer,
charge a saved payment method. Each shows its result below itself. Tag their cells
`nbval-ignore-output`: a widget's output is what someone clicked, not a lesson's."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import stripe
from IPython.display import display

from . import customer as scripted
from .errors import show_error
from .panels import LiveText
from .tables import describe_payment_method, payment_intents
from .testdata import LINK_TEST_CODES, TEST_CARDS


class LiveWidget(LiveText, widgets.VBox):
    """A box of controls that says, as text, what it is (LiveText)."""

    def __init__(self, children: list, what: str) -> None:
        super().__init__(children)
        self.what = what


def _run(out: widgets.Output, action) -> None:
    out.clear_output()
    with out:
        display(widgets.HTML("<i>Running…</i>"))
        result = action()
        out.clear_output()
        display(result)


def otp_tester(lesson: Any, customer: str, email: str) -> widgets.Widget:
    """A returning Link customer (`email`) tries the one-time code you pick, in a fresh browser."""
    code = widgets.Combobox(
        options=list(LINK_TEST_CODES), value="000001", description="Code", ensure_option=False
    )
    button = widgets.Button(description="Try this code", button_style="primary")
    out = widgets.Output()
    button.on_click(
        lambda _: _run(
            out, lambda: scripted.try_code(lesson.login_url(customer), email, code.value)
        )
    )
    return LiveWidget([widgets.HBox([code, button]), out], f"Try a one-time code as {email}")


def customer_runner(lesson: Any, customer: str) -> widgets.Widget:
    """Run the scripted customer with a test card of your choice."""
    card = widgets.Dropdown(
        options=[(f"{c.spaced}: {c.documented}", c.number) for c in TEST_CARDS],
        description="Card",
        layout=widgets.Layout(width="560px"),
    )
    email = widgets.Text(value="jenny.rosen@example.com", description="Email")
    to_link = widgets.Checkbox(value=False, description="Save to Link")
    three_ds = widgets.Dropdown(
        options=[("no challenge expected", None), ("Complete", "Complete"), ("Fail", "Fail")],
        description="3-D Secure",
    )
    button = widgets.Button(description="Run as customer", button_style="primary")
    out = widgets.Output()
    button.on_click(
        lambda _: _run(
            out,
            lambda: scripted.checkout(
                lesson.login_url(customer),
                email=email.value,
                card=card.value,
                save_to_link=to_link.value,
                three_ds=three_ds.value,
            ),
        )
    )
    return LiveWidget(
        [card, widgets.HBox([email, to_link]), three_ds, button, out],
        "The scripted customer, with a test card you pick",
    )


def charge_later_button(lesson: Any, customer: str, amount: int = 1099) -> widgets.Widget:
    """Charge one of the customer's saved payment methods off-session (the guide's last step)."""
    method = widgets.Dropdown(description="Method", layout=widgets.Layout(width="480px"))
    refresh = widgets.Button(description="Refresh list", icon="refresh")
    button = widgets.Button(
        description=f"Charge {amount / 100:.2f} USD off-session", button_style="primary"
    )
    out = widgets.Output()

    def load(_: Any = None) -> None:
        methods = lesson.client.v1.payment_methods.list({"customer": customer, "limit": 100})
        method.options = [(f"{describe_payment_method(pm)} ({pm.id})", pm.id) for pm in methods]

    def charge() -> Any:
        try:
            lesson.client.v1.payment_intents.create(
                {
                    "amount": amount,
                    "currency": "usd",
                    "customer": customer,
                    "payment_method": method.value,
                    "off_session": True,
                    "confirm": True,
                }
            )
        except stripe.StripeError as exc:
            show_error(exc)
        return payment_intents(lesson.client, customer)

    refresh.on_click(load)
    button.on_click(lambda _: _run(out, charge))
    load()
    return LiveWidget(
        [widgets.HBox([method, refresh]), button, out],
        f"Charge a saved payment method of {customer} off-session",
    )
