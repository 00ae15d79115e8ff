"""The page under a reset of its account (`POST /_emulator/reset`): it recovers cleanly.

After a reset the customer a browser's session points at is gone, and the reset account's seeded
ids make the next Customer created (by a notebook, or for another browser) get the same id. The
page must neither fail (`400 No such customer`) nor let the old session save to that new object.
"""

from __future__ import annotations

import stripe

from embedded_page.sessions import SESSION_COOKIE


def _secret(page) -> tuple[dict, str]:
    response = page.get("/secret")
    assert response.status_code == 200, response.text
    return response.json(), response.cookies.get(SESSION_COOKIE) or page.cookies[SESSION_COOKIE]


def _customer_of(client, client_secret: str) -> str:
    return client.v1.setup_intents.retrieve(client_secret.split("_secret_")[0]).customer


def test_a_session_survives_a_reset_with_a_new_customer(page, client, emulator, secret_key):
    first, _ = _secret(page)
    old_customer = _customer_of(client, first["client_secret"])
    emulator.reset(secret_key)
    again, _ = _secret(page)  # the same browser, its session cookie from before the reset
    customer = _customer_of(client, again["client_secret"])
    assert client.v1.customers.retrieve(customer).id == customer  # it exists
    assert customer == old_customer  # the new guest took the first id again (seeded ids)…
    assert page.get("/secret").status_code == 200  # …and the session now works as before


def test_an_old_session_never_saves_to_a_recreated_customer(page, client, emulator, secret_key):
    first, old_session = _secret(page)
    old_customer = _customer_of(client, first["client_secret"])
    emulator.reset(secret_key)
    notebooks = client.v1.customers.create({"email": "jenny.rosen@example.com"})
    assert notebooks.id == old_customer  # the reset account reuses the id
    again, new_session = _secret(page)
    assert _customer_of(client, again["client_secret"]) != notebooks.id
    assert new_session != old_session
    assert client.v1.setup_intents.list({"customer": notebooks.id}).data == []


def test_a_logged_in_session_whose_customer_vanished_gets_a_guest(
    page, client, emulator, secret_key, back_office
):
    customer = client.v1.customers.create({"email": "jenny.rosen@example.com"})
    link = page.post(
        "/back_office/login_links", data={"customer": customer.id}, headers=back_office
    ).json()
    assert page.get(link["url"], follow_redirects=False).status_code == 303
    emulator.reset(secret_key)  # before the browser asked for any SetupIntent
    again, _ = _secret(page)
    created = _customer_of(client, again["client_secret"])
    assert isinstance(client.v1.customers.retrieve(created), stripe.Customer)
