"""The test PaymentMethods and tokens of https://docs.stripe.com/testing, and older names."""

import pytest
import stripe

from .support import NO_REDIRECTS

# "Simulate a payment by country" → PaymentMethods (every one on the page).
COUNTRY_PAYMENT_METHODS = (
    "us ar br ca cl co cr ec mx pa py pe uy ae at be bg by hr cy cz dk ee fi fr de gi gr hu ie "
    "it lv li lt lu mt nl no pl pt ro si sk es se ch gb au cn hk in jp my nz sg tw"
).split()

# Names merchants' code still sends from older versions of the page: (decline code, last4).
OLDER_DECLINES = {
    "pm_card_chargeDeclined": ("generic_decline", "0002"),
    "pm_card_chargeDeclinedInsufficientFunds": ("insufficient_funds", "9995"),
    "pm_card_chargeDeclinedLostCard": ("lost_card", "9987"),
    "pm_card_chargeDeclinedStolenCard": ("stolen_card", "9979"),
    "pm_card_chargeDeclinedFraudulent": ("fraudulent", "0019"),
}


def _pay(client, **params):
    return client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "confirm": True, **NO_REDIRECTS, **params}
    )


@pytest.mark.parametrize("country", COUNTRY_PAYMENT_METHODS)
@pytest.mark.live_stripe
def test_country_payment_method_has_its_country(client, country):
    pm = client.v1.payment_methods.retrieve(f"pm_card_{country}")
    assert pm.type == "card" and pm.card.country == country.upper()


@pytest.mark.live_stripe
@pytest.mark.parametrize(
    ("name", "brand", "funding", "country"),
    [
        ("pm_card_visa_debit", "visa", "debit", "US"),
        ("pm_card_mastercard_prepaid", "mastercard", "prepaid", "US"),
        ("pm_card_ae_mastercard", "mastercard", "credit", "AE"),
        ("pm_card_gb_debit", "visa", "debit", "GB"),
        ("pm_card_th_credit", "visa", "credit", "TH"),
        ("pm_card_th_debit", "visa", "debit", "TH"),
        ("pm_card_visa_cartesBancaires", "visa", "credit", "FR"),
        ("pm_card_debit_visaFsaProductCode", "visa", "debit", "US"),
    ],
)
def test_brand_payment_methods(client, name, brand, funding, country):
    card = client.v1.payment_methods.retrieve(name).card
    assert (card.brand, card.funding, card.country) == (brand, funding, country)


@pytest.mark.parametrize("name", sorted(OLDER_DECLINES))
@pytest.mark.live_stripe
def test_older_decline_names_decline_the_payment(client, name):
    decline_code, last4 = OLDER_DECLINES[name]
    with pytest.raises(stripe.CardError) as info:
        _pay(client, payment_method=name)
    assert info.value.http_status == 402
    assert (info.value.code, info.value.error.decline_code) == ("card_declined", decline_code)
    embedded = info.value.json_body["error"]["payment_intent"]
    assert embedded["status"] == "requires_payment_method"
    assert info.value.json_body["error"]["payment_method"]["card"]["last4"] == last4


@pytest.mark.live_stripe
def test_page_names_of_other_outcomes_succeed(client):
    for name in ("pm_card_createDispute", "pm_card_bypassPending", "pm_card_pendingRefund"):
        assert _pay(client, payment_method=name).status == "succeeded"


@pytest.mark.live_stripe
def test_card_token_creates_a_payment_method_with_a_secret_key(client):
    pm = client.v1.payment_methods.create({"type": "card", "card": {"token": "tok_visa"}})
    assert pm.id.startswith("pm_") and pm.card.last4 == "4242" and pm.card.brand == "visa"
    pm = client.v1.payment_methods.create({"type": "card", "card": {"token": "tok_ca"}})
    assert pm.card.country == "CA"


@pytest.mark.live_stripe
def test_card_token_in_payment_method_data_declines(client):
    with pytest.raises(stripe.CardError) as info:
        _pay(
            client,
            payment_method_data={"type": "card", "card": {"token": "tok_chargeDeclined"}},
        )
    assert (info.value.code, info.value.error.decline_code) == ("card_declined", "generic_decline")


@pytest.mark.live_stripe
def test_card_token_on_setup_intent(client):
    si = client.v1.setup_intents.create(
        {
            "confirm": True,
            "payment_method_data": {"type": "card", "card": {"token": "tok_mastercard"}},
            **NO_REDIRECTS,
        }
    )
    assert si.status == "succeeded"
    assert client.v1.payment_methods.retrieve(si.payment_method).card.brand == "mastercard"


@pytest.mark.live_stripe
def test_unknown_card_token_is_404(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_methods.create({"type": "card", "card": {"token": "tok_nope"}})
    assert info.value.http_status == 404
    assert (info.value.code, info.value.param) == ("resource_missing", "card[token]")
    assert info.value.user_message == "No such token: 'tok_nope'"


def test_card_token_with_card_number_is_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.payment_methods.create(
            {"type": "card", "card": {"token": "tok_visa", "number": "4242424242424242"}}
        )
    assert info.value.http_status == 400 and info.value.param == "card[number]"
