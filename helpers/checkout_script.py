"""The scripted customer's steps on the checkout page (run on the browser's worker thread).

Each step waits for what a person would wait for (the form to be ready, Link's code panel, the
3-D Secure test page, the success page or an error), records what happened in the `Visit`, and
never sleeps for a fixed time: the outcome cannot depend on how fast the machine is.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from . import checkout_form as form
from .visit import masked_cookie

DEFAULT_PHONE = "+12015550123"
ACTION_TIMEOUT_MS = 10_000
LOOKUP = "/v1/consumers/sessions/lookup"  # the emulator's Link lookup (see LINK_PROTOCOL.md)


def track_requests(page: Page) -> None:
    """Count the page's requests in flight (its iframes' included), for `settle`."""
    page.linklab_in_flight = set()  # type: ignore[attr-defined]
    pending = page.linklab_in_flight  # type: ignore[attr-defined]
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    page.linklab_lookups = []  # type: ignore[attr-defined]
    lookups = page.linklab_lookups  # type: ignore[attr-defined]
    page.on("response", lambda response: LOOKUP in response.url and lookups.append(response))


# How often the scripted customer looks at its page while waiting (ms). Each look is a round
# trip to the Playwright driver: with many customers on few cores (scripts/bench_checkouts.py)
# looking less often leaves the CPU to the browsers.
POLL_MS = 10


def settle(page: Page, timeout_ms: int = 5_000) -> None:
    """Wait until no request of the page is in flight (what a step started has finished)."""
    pending = getattr(page, "linklab_in_flight", set())
    waited = 0
    while pending and waited < timeout_ms:
        page.wait_for_timeout(POLL_MS)
        waited += POLL_MS


def _done(page: Page, visit: Any, name: str, detail: str = "") -> None:
    """Record a finished step once the requests it caused are answered."""
    settle(page)
    visit.step(name, detail)


def _shown_alerts(page: Page) -> list[str]:
    """Every non-empty alert the page and its Element iframes show right now."""
    texts = (
        [page.locator("#error-message").inner_text()] if _visible(page, "#error-message") else []
    )
    for frame in (form.email_frame(page), form.address_frame(page), form.payment_frame(page)):
        texts += [text.strip() for text in frame.locator("[role=alert]").all_inner_texts()]
    return [text for text in texts if text]


def _visible(page: Page, selector: str) -> bool:
    locator = page.locator(selector)
    return locator.count() > 0 and locator.is_visible()


def _open(page: Page, visit: Any, url: str) -> None:
    page.goto(url)
    form.wait_until_ready(page)
    _done(page, visit, "open the checkout page", urlsplit(page.url).path)


def _first_visible(page: Page, locators: list, timeout_ms: int) -> int | None:
    """The index of the first of `locators` to become visible, or None after `timeout_ms`."""
    waited = 0
    while waited <= timeout_ms:
        for index, locator in enumerate(locators):
            if locator.is_visible():
                return index
        page.wait_for_timeout(2 * POLL_MS)
        waited += 2 * POLL_MS
    return None


def _enter_email(page: Page, visit: Any, email: str) -> bool:
    """Type the email; True if Link knows it (its code panel opened, or it signed in at once)."""
    # Offline, the Element iframes come from the emulator on loopback; real ones from Stripe.
    frame_src = page.locator(form.EMAIL_FRAME).get_attribute("src") or ""
    offline = urlsplit(frame_src).hostname in ("127.0.0.1", "localhost")
    field = form.email_frame(page).get_by_label("Email", exact=True)
    step = "enter email"
    known = True  # real Stripe.js: we cannot read its lookup, so wait for what it shows
    if field.input_value() == email:  # prefilled (defaultValues.email): looked up on load
        step = "email (prefilled)"
        settle(page)
        answers = page.linklab_lookups  # type: ignore[attr-defined]
        if offline and answers:
            known = bool(answers[-1].json().get("exists"))
    elif offline:  # read the lookup's answer rather than wait for time to pass
        with page.expect_response(lambda response: LOOKUP in response.url) as answer:
            form.fill_email(page, email)
        known = bool(answer.value.json().get("exists"))
    else:
        form.fill_email(page, email)
    shown = None
    if known:
        shown = _first_visible(
            page, [form.code_heading(page), form.signed_in_badge(page)], 5_000 if offline else 6_000
        )
    if shown is None:
        _done(page, visit, step, f"{email}: not a Link customer yet")
        visit.link = "not a Link customer"
        return False
    if form.signed_in_badge(page).is_visible():
        _done(page, visit, step, f"{email}: signed in to Link without a code")
        visit.link = "signed in without a code"
    else:
        _done(page, visit, step, f"{email}: Link asks for a one-time code")
        visit.link = "code asked"
    return True


def _enter_code(page: Page, visit: Any, code: str) -> bool:
    """Type the one-time code; True if Link signed the customer in."""
    form.enter_code(page, code)
    error = form.email_frame(page).locator("#Field-linkOtpInput-error")
    answered = error.filter(has_text=".")
    if _first_visible(page, [form.signed_in_badge(page), answered], ACTION_TIMEOUT_MS) is None:
        raise TimeoutError(f"Link showed neither a sign-in nor an error for code {code}.")
    if form.signed_in_badge(page).is_visible():
        _done(page, visit, "enter code", f"{code}: signed in to Link")
        visit.link = "signed in"
        return True
    message = error.inner_text().strip()
    visit.note(message)
    locked = form.code_input(page).is_disabled()
    visit.link = "locked: needs a new code (Resend code)" if locked else "code panel open: retry"
    _done(page, visit, "enter code", f"{code}: {message}")
    return False


def _fill_address(page: Page, visit: Any) -> None:
    if form.address_frame(page).get_by_label("Address line 1").input_value():
        _done(page, visit, "shipping address", "filled in by Link")
        return
    form.fill_address(page)
    _done(
        page,
        visit,
        "shipping address",
        "Jenny Rosen, 354 Oyster Point Blvd, South San Francisco CA",
    )


def _pay_with_card(
    page: Page, visit: Any, card: str, save_to_link: bool, phone: str | None
) -> None:
    form.fill_card(page, number=card, save_to_link=save_to_link)
    detail = f"card {card[:4]} {card[4:8]} {card[8:12]} {card[12:]}"
    if save_to_link:
        form.fill_link_phone(page, phone or DEFAULT_PHONE)
        detail += ", saved to Link"
    _done(page, visit, "payment", detail)


def _wait_for_result(page: Page, success: Any, failure: Any) -> None:
    """The success page, or the checkout page's error line: whichever comes."""
    if _first_visible(page, [success, failure], 2 * ACTION_TIMEOUT_MS) is None:
        raise TimeoutError("The page showed neither the success page nor an error.")


def _submit(page: Page, visit: Any, three_ds: str | None) -> None:
    visit.snapshot(page, "filled")
    form.save_button(page).click()
    success = page.locator("#saved")
    failure = form.error_message(page).filter(has_text=".")
    if three_ds:
        form.three_ds_challenge(page)
        _done(page, visit, "save", f"{form.SAVE_BUTTON}: the bank asks for 3-D Secure")
        visit.snapshot(page, "challenge", whole_page=False)
        form.authenticate(page, three_ds)
        _wait_for_result(page, success, failure)
        _done(page, visit, "3-D Secure", f"pressed {three_ds} on the test page")
    else:
        _wait_for_result(page, success, failure)
        _done(page, visit, "save", form.SAVE_BUTTON)
    visit.land(page.url)
    if success.is_visible():
        visit.saved = form.saved_details(page)
        what = visit.saved.get("Card") or visit.saved.get("Link account") or ""
        _done(page, visit, "result", f"saved {visit.saved.get('Type', '')} {what}".rstrip())
    else:
        message = form.error_message(page).inner_text().strip()
        visit.note(message)
        _done(page, visit, "result", f"not saved: {message}")


def run_checkout(
    page: Page,
    visit: Any,
    url: str,
    email: str | None = None,
    code: str | None = None,
    address: bool = True,
    card: str | None = None,
    save_to_link: bool = False,
    phone: str | None = None,
    saved_method: str | None = None,
    three_ds: str | None = None,
    submit: bool = True,
) -> None:
    _open(page, visit, url)
    if email and _enter_email(page, visit, email) and visit.link == "code asked":
        if code is None:  # told no code: the visit ends at Link's code panel
            visit.step("stopped", "Link asks for a one-time code and none was given")
            _finish(page, visit, whole_page=False)
            return
        if not _enter_code(page, visit, code):
            _finish(page, visit, whole_page=False)
            return
    if address:
        _fill_address(page, visit)
    if saved_method:
        form.choose_saved(page, saved_method)
        _done(page, visit, "payment", f"Link-saved {saved_method}")
    elif card:
        _pay_with_card(page, visit, card, save_to_link, phone)
    if submit:
        _submit(page, visit, three_ds)
    _finish(page, visit)


def _finish(page: Page, visit: Any, whole_page: bool = True) -> None:
    """Where the browser is, what it shows, its Link cookie, and a last screenshot."""
    visit.land(page.url)
    for alert in _shown_alerts(page):
        visit.note(alert)
    cookie = form.persistent_token_cookie(page)
    if cookie is not None:
        visit.cookie = masked_cookie(cookie)
    visit.snapshot(page, "end", whole_page=whole_page)


def run_code(page: Page, visit: Any, url: str, email: str, code: str) -> None:
    _open(page, visit, url)
    if not _enter_email(page, visit, email):
        raise ValueError(f"{email} has no Link account: Link asks no code.")
    if visit.link == "code asked":
        _enter_code(page, visit, code)
    _finish(page, visit, whole_page=False)


def run_authenticate(page: Page, visit: Any, url: str, button: str) -> None:
    """The customer opens the bank's authentication page (a `redirect_to_url`) and answers."""
    page.goto(url)
    expect(page.get_by_role("heading", name="3D Secure 2 Test Page")).to_be_visible()
    _done(page, visit, "open the authentication page", "3D Secure 2 Test Page")
    visit.snapshot(page, "challenge", whole_page=False)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    _done(page, visit, "3-D Secure", f"pressed {button}")
    _finish(page, visit)  # the page the bank returns to, cut to its content
