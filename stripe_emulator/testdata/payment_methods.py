"""Stripe's test PaymentMethods (`pm_card_*`) and tokens (`tok_*`): name -> test card
(https://docs.stripe.com/testing, and the older names merchants' code still sends)."""

from __future__ import annotations

from dataclasses import replace

from .cards import BY_COUNTRY, CARDS, LOST, STOLEN, Card

PM_TOKENS: dict[str, str] = {
    "pm_card_visa": "4242424242424242",
    "pm_card_us": "4242424242424242",
    "pm_card_visa_debit": "4000056655665556",
    "pm_card_mastercard": "5555555555554444",
    "pm_card_mastercard_debit": "5200828282828210",
    "pm_card_mastercard_prepaid": "5105105105105100",
    "pm_card_amex": "378282246310005",
    "pm_card_discover": "6011111111111117",
    "pm_card_diners": "3056930009020004",
    "pm_card_jcb": "3566002020360505",
    "pm_card_unionpay": "6200000000000005",
    "pm_card_fr": "4000002500000003",
    "pm_card_de": "4000002760000016",
    "pm_card_gb": "4000008260000000",
    "pm_card_ie": "4000003720000005",
    "pm_card_visa_chargeDeclined": "4000000000000002",
    "pm_card_visa_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_visa_chargeDeclinedLostCard": "4000000000009987",
    "pm_card_visa_chargeDeclinedStolenCard": "4000000000009979",
    "pm_card_chargeDeclinedExpiredCard": "4000000000000069",
    "pm_card_chargeDeclinedIncorrectCvc": "4000000000000127",
    "pm_card_chargeDeclinedProcessingError": "4000000000000119",
    "pm_card_visa_chargeDeclinedVelocityLimitExceeded": "4000000000006975",
    "pm_card_chargeCustomerFail": "4000000000000341",
    "pm_card_radarBlock": "4100000000000019",
    "pm_card_riskLevelHighest": "4000000000004954",
    "pm_card_riskLevelElevated": "4000000000009235",
    "pm_card_cvcCheckFail": "4000000000000101",
    "pm_card_avsZipFail": "4000000000000036",
    "pm_card_avsLine1Fail": "4000000000000028",
    "pm_card_avsFail": "4000000000000010",
    "pm_card_avsUnchecked": "4000000000000044",
    "pm_card_authenticationRequiredOnSetup": "4000002500003155",
    "pm_card_authenticationRequired": "4000002760003184",
    "pm_card_authenticationRequiredSetupForOffSession": "4000003800000446",
    "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds": "4000008260003178",
    "pm_card_threeDSecure2Required": "4000000000003220",
    "pm_card_threeDSecureRequiredChargeDeclined": "4000008400001629",
    "pm_card_threeDSecureRequiredProcessingError": "4000008400001280",
    "pm_card_threeDSecureOptional": "4000000000003055",
    "pm_card_threeDSecureOptionalProcessingError": "4000000000003097",
    "pm_card_amex_threeDSecureNotSupported": "378282246310005",
}

# name → card number for every `pm_card_*` name: those of the testing page, and the older names
# merchants' code still sends (the page now spells the declines `pm_card_visa_chargeDeclined…`;
# `pm_card_chargeDeclinedFraudulent` / `tok_chargeDeclinedFraudulent` are the Visa …0019 card
# that is declined as `fraudulent`, as integrations written against the older page expect).
_MORE_PAYMENT_METHODS: dict[str, str] = {
    "pm_card_visa_cartesBancaires": "4000002500001001",
    "pm_card_mastercard_cartesBancaires": "5555552500001001",
    "pm_card_visa_debit_eftposAuCoBranded": "4000050360000001",
    "pm_card_mastercard_debit_eftposAuCoBranded": "5555050360000080",
    "pm_card_ae_mastercard": "5200007840000022",
    "pm_card_gb_debit": "4000058260000005",
    "pm_card_gb_mastercard": "5555558265554449",
    "pm_card_th_credit": "4000007640000003",
    "pm_card_th_debit": "4000057640000008",
    "pm_card_debit_visaFsaProductCode": "4000051230000072",
    "pm_card_debit_visaHsaProductCode": "4000051230000072",
    "pm_card_mastercard_debit_mastercardFsaProductCode": "5200828282828897",
    "pm_card_highFraudDisputeScore": "4000008400000407",
    "pm_card_highEfwScore": "4000008400000159",
    "pm_card_radarDynamicRiskThreshold": "4000008400001017",
    "pm_card_adaptive3dsChallenge": "4000008405600003",
    "pm_card_cvcCheckFailElevatedRisk": "4000058400307872",
    "pm_card_avsZipFailElevatedRisk": "4000058400306072",
    "pm_card_createDispute": "4000000000000259",
    "pm_card_createDisputeProductNotReceived": "4000000000002685",
    "pm_card_createDisputeInquiry": "4000000000001976",
    "pm_card_createIssuerFraudRecord": "4000000000005423",
    "pm_card_createMultipleDisputes": "4000000404000079",
    "pm_card_createCe3EligibleDispute": "4000000404000038",
    "pm_card_createComplianceDispute": "4000008400000779",
    "pm_card_createMastercardComplianceDispute": "5105008400000002",
    "pm_card_createAutoRepresentmentEligibleDispute": "4000000001000043",
    "pm_card_createRapidDisputeResolutionDispute": "4000000404004816",
    "pm_card_createCe3BlockDispute": "4000000404005649",
    "pm_card_createEthocaAlert": "5105000300000018",
    "pm_card_pendingRefund": "4000000000007726",
    "pm_card_refundFail": "4000000000005126",
    "pm_card_bypassPending": "4000000000000077",
    "pm_card_bypassPendingInternational": "4000003720000278",
    # older names
    "pm_card_chargeDeclined": "4000000000000002",
    "pm_card_chargeDeclinedInsufficientFunds": "4000000000009995",
    "pm_card_chargeDeclinedLostCard": "4000000000009987",
    "pm_card_chargeDeclinedStolenCard": "4000000000009979",
    "pm_card_chargeDeclinedFraudulent": "4100000000000019",
    **{
        f"pm_card_{country.lower()}": number
        for country, number in BY_COUNTRY.items()
        if country not in ("SA", "TH")
    },
}
TEST_PAYMENT_METHODS: dict[str, Card] = {
    name: CARDS[number] for name, number in {**PM_TOKENS, **_MORE_PAYMENT_METHODS}.items()
}

# `tok_*`: the page gives most `pm_card_<name>` a `tok_<name>` twin, with these exceptions.
_NO_TOKEN = {
    "pm_card_authenticationRequiredOnSetup", "pm_card_authenticationRequired",
    "pm_card_authenticationRequiredSetupForOffSession",
    "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds",
    "pm_card_debit_visaFsaProductCode", "pm_card_debit_visaHsaProductCode",
    "pm_card_mastercard_debit_mastercardFsaProductCode",
}  # fmt: skip
TEST_TOKENS: dict[str, Card] = {
    **{
        "tok_" + name.removeprefix("pm_card_"): card
        for name, card in TEST_PAYMENT_METHODS.items()
        if name not in _NO_TOKEN
    },
    **{
        "tok_visa_chargeDeclinedExpiredCard": CARDS["4000000000000069"],
        "tok_visa_chargeDeclinedIncorrectCvc": CARDS["4000000000000127"],
        "tok_visa_chargeDeclinedProcessingError": CARDS["4000000000000119"],
        # the page's row gives `expired_card`; the name (and older integrations) say fraudulent
        "tok_visa_chargeDeclinedFraudulent": CARDS["4100000000000019"],
        "tok_visa_chargeCustomerFail": CARDS["4000000000000341"],
        # no card number is published for these three: the nearest card, with the named outcome
        "tok_visa_debit_chargeDeclinedInsufficientFunds": replace(
            CARDS["4000000000009995"], funding="debit"
        ),
        "tok_visa_chargeCustomerFailLostCard": replace(
            CARDS["4000000000000341"], charge_decline=LOST
        ),
        "tok_visa_chargeCustomerFailStolenCard": replace(
            CARDS["4000000000000341"], charge_decline=STOLEN
        ),
    },
}


def card_for_payment_method(name: object) -> Card | None:
    """The card a `pm_card_*` test PaymentMethod name stands for, else None."""
    return TEST_PAYMENT_METHODS.get(name) if isinstance(name, str) else None


def card_for_token(name: object) -> Card | None:
    """The card a `tok_*` test token stands for, else None."""
    return TEST_TOKENS.get(name) if isinstance(name, str) else None
