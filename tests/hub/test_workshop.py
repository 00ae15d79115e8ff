"""A workshop on a real JupyterHub: two attendees run lesson 02 at the same moment, each in their
own server, and Chromium saves a card in each attendee's checkout IFrame through the hub's proxy
(jupyter-server-proxy), one of them through 3-D Secure. Their ports and accounts never meet.

The IFrame is the HTML `helpers.show_checkout` gives the notebook, placed in a page of the hub's
own origin (as JupyterLab shows it): same origin, same cookies, same proxied URLs. The scripted
customer, which runs in the attendee's server, completes a 3-D Secure checkout too. About a minute.
"""

from __future__ import annotations

import json
import re
import secrets

import pytest
from playwright.sync_api import expect

from helpers import checkout_form as form

from .hub_process import PASSWORD, execute_all, node_available, start_hub

pytestmark = [
    pytest.mark.browser,
    pytest.mark.hub,
    pytest.mark.skipif(
        not node_available(), reason="needs node and `make` (configurable-http-proxy)"
    ),
]

LESSON = """
import json, helpers
lesson = helpers.start_lesson("02_payment_form")
customer = lesson.client.v1.customers.create({"email": "jenny.rosen@example.com"})
panel = helpers.show_checkout(lesson, customer.id)
helpers.stop_watching()
print(json.dumps({"frame": panel.children[0].value, "customer": customer.id,
                  "api_base": lesson.api_base, "page": lesson.page.base_url,
                  "key": lesson.secret_key}))
"""
SAVED = """
import json, stripe
client = stripe.StripeClient({key!r}, base_addresses={{"api": {api_base!r}}})
intents = client.v1.setup_intents.list({{"limit": 10}}).data
customers = client.v1.customers.list({{"limit": 10}}).data
print(json.dumps({{"intents": [[i.id, i.status, i.customer] for i in intents],
                  "customers": [c.id for c in customers]}}))
"""
# What `make stop` does, in each attendee's server: the servers their lessons started, theirs only.
STOP = "import helpers; helpers.stop_all()"
# The scripted customer runs in the attendee's server (Chromium on the hub's machine): it opens the
# page on loopback, and its browser answers the proxied Stripe.js URL the page hands out.
SCRIPTED = """
import helpers
lesson = helpers.start_lesson("03_link_otp_codes")
customer = lesson.client.v1.customers.create({"email": "jenny.rosen@example.com"})
visit = helpers.customer.checkout(lesson.login_url(customer.id), email=customer.email,
                                  card="4000002760003184", three_ds="Complete")
print(visit.completed, visit.landed, visit.steps[-1])
"""
CARDS = {"alice": ("4242424242424242", None), "bob": ("4000002760003184", "Complete")}


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    started = start_hub(tmp_path_factory.mktemp("hub"))
    yield started
    started.stop()


@pytest.fixture(scope="module")
def attendees(hub):
    tag = secrets.token_hex(2)  # two runs of this test at once never share a name
    names = {role: f"{role}-{tag}" for role in CARDS}
    for name in names.values():
        hub.start_server(name)
    yield names
    execute_all(hub, {name: STOP for name in names.values()})


def log_in(browser, hub, user: str):
    context = browser.new_context(viewport={"width": 900, "height": 1600})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.locator("#username_input").fill(user)
    page.locator("#password_input").fill(PASSWORD)
    page.locator("#login_submit").click()
    page.wait_for_url(re.compile(r"/(hub/home|hub/spawn|user/)"))
    return context, page


def test_two_attendees_check_out_at_once_through_the_hub(hub, attendees, browser):
    # Both run the lesson's first cells at the same moment, each in their own kernel.
    ran = execute_all(hub, {name: LESSON for name in attendees.values()})
    runs = {
        role: json.loads(ran[name].strip().splitlines()[-1]) for role, name in attendees.items()
    }
    alice, bob = runs["alice"], runs["bob"]
    assert alice["api_base"] != bob["api_base"] and alice["page"] != bob["page"]
    assert alice["key"] != bob["key"] and alice["key"].endswith("_02_payment_form")

    for role, name in attendees.items():
        src = re.search(r'src="([^"]+)"', runs[role]["frame"]).group(1)
        page_port = runs[role]["page"].rsplit(":", 1)[1]
        assert src.startswith(f"/user/{name}/proxy/{page_port}/login/"), src
        card, three_ds = CARDS[role]
        context, page = log_in(browser, hub, name)
        # The notebook's IFrame, in a page of the hub's origin as JupyterLab shows it.
        page.goto(f"{hub.url}/hub/home")
        page.evaluate("html => { document.body.innerHTML = html; }", runs[role]["frame"])
        frame = page.frame_locator('iframe[title="Checkout page"]')
        form.wait_until_ready(frame)
        form.fill_email(frame, "jenny.rosen@example.com")
        form.fill_address(frame)
        form.fill_card(frame, card)
        form.save_button(frame).click()
        if three_ds:
            form.authenticate(frame, three_ds)
        expect(frame.locator("#saved")).to_contain_text("succeeded")
        details = form.saved_details(frame)
        assert details.get("Customer") == runs[role]["customer"], details
        frame_url = next(f.url for f in page.frames if "/order/success" in f.url)
        assert f"/user/{name}/proxy/{page_port}/order/success" in frame_url
        context.close()

    scripted = execute_all(hub, {attendees["alice"]: SCRIPTED})[attendees["alice"]]
    assert scripted.strip().splitlines()[-1].startswith("True /order/success"), scripted

    # Each attendee's account holds their own customer and SetupIntent, and nothing else.
    saved = execute_all(
        hub,
        {
            attendees[role]: SAVED.format(key=runs[role]["key"], api_base=runs[role]["api_base"])
            for role in CARDS
        },
    )
    for role, name in attendees.items():
        seen = json.loads(saved[name].strip().splitlines()[-1])
        assert seen["customers"] == [runs[role]["customer"]]
        assert [(status, customer) for _, status, customer in seen["intents"]] == [
            ("succeeded", runs[role]["customer"])
        ]
