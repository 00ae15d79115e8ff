"""Everything a notebook needs besides `stripe`: the backend, servers, the lesson's account and
checkout page, tables, the page inside the notebook, a scripted customer, logs and diagrams."""

from . import customer
from .backend import (
    Backend,
    BackendError,
    get_backend,
    load_backend,
    mask_client_secret,
    mask_key,
)
from .customer import side_by_side
from .errors import error_table, show_error
from .lesson import Lesson, start_lesson
from .live_widgets import charge_later_button, customer_runner, otp_tester
from .logs import api_requests, calls_table, sequence_diagram
from .observations import card_outcomes, code_outcomes, persistent_login_by_version
from .page import CheckoutPage
from .panels import show_checkout, stop_watching
from .servers import (
    ServerProcess,
    emulator_health,
    ensure_emulator,
    stop_all,
    stop_emulator,
    stop_page,
)
from .source import show_code
from .tables import (
    charges,
    describe_payment_method,
    events,
    payment_intents,
    payment_methods,
    setup_intents,
    table,
    utc,
)
from .testdata import LINK_TEST_CODES, TEST_CARDS, link_test_codes, test_cards
from .webhooks import deliveries, listen, received_events

__all__ = [
    "Backend",
    "BackendError",
    "CheckoutPage",
    "LINK_TEST_CODES",
    "Lesson",
    "ServerProcess",
    "TEST_CARDS",
    "api_requests",
    "calls_table",
    "card_outcomes",
    "charge_later_button",
    "charges",
    "code_outcomes",
    "customer",
    "customer_runner",
    "deliveries",
    "describe_payment_method",
    "emulator_health",
    "ensure_emulator",
    "error_table",
    "events",
    "get_backend",
    "link_test_codes",
    "listen",
    "load_backend",
    "mask_client_secret",
    "mask_key",
    "otp_tester",
    "payment_intents",
    "payment_methods",
    "persistent_login_by_version",
    "received_events",
    "sequence_diagram",
    "setup_intents",
    "show_checkout",
    "show_code",
    "show_error",
    "side_by_side",
    "start_lesson",
    "stop_all",
    "stop_emulator",
    "stop_page",
    "stop_watching",
    "table",
    "test_cards",
    "utc",
]
