"""Ids repeat after a reset whatever happened in between: no order dependence between requests."""

from __future__ import annotations

from collections import Counter

from stripe_emulator.ids import ALPHABET, IdGenerator, RequestIds, seed_for, unguessable


def test_each_prefix_has_its_own_stream():
    """The n-th SetupIntent gets the same id whether or not other objects were made before."""
    plain, busy = IdGenerator(seed_for("acct")), IdGenerator(seed_for("acct"))
    first = plain.new("seti")
    busy.new("csmrsess"), busy.new("cus"), busy.token(8, "invoice_prefix")
    assert busy.new("seti") == first
    assert plain.new("seti") != first


def test_secrets_are_random_not_derived_from_the_seed():
    """Two generators with the same seed (the same key or lesson) give the same ids, but
    different secrets: knowing the seed does not give a client secret."""
    one, other = IdGenerator(seed_for("acct")), IdGenerator(seed_for("acct"))
    assert one.secret("seti_1X") != other.secret("seti_1X")
    assert one.secret("seti_1X").startswith("seti_1X_secret_")
    assert len(one.secret("seti_1X")) == len("seti_1X_secret_") + 25


def test_secret_characters_are_uniform_over_the_alphabet():
    """Every character of a secret is equally likely: 124,000 characters give each of the 62
    about 2,000 times (sd 45). Mapping random bytes modulo 62 without dropping any would make
    the first 8 characters ~21% likelier (~2,420), outside the +-300 allowed here."""
    counts = Counter("".join(unguessable(25) for _ in range(4960)))
    assert set(counts) == set(ALPHABET)
    assert all(1700 <= n <= 2300 for n in counts.values()), counts.most_common(3)


def test_secret_tokens_are_random_but_keep_the_seeded_tail():
    """A token's masked form (first 8, last 4 characters) repeats; the 20+ between do not."""
    one, other, ids = (IdGenerator(seed_for("acct")) for _ in range(3))
    for prefix, length in (("whsec", 32), ("csmrtok", 24)):
        a, b = one.secret_token(prefix), other.secret_token(prefix)
        assert a.startswith(f"{prefix}_") and len(a) == len(prefix) + 1 + length
        seeded = ids.new(prefix)
        assert (a[:8], a[-4:]) == (b[:8], b[-4:]) == (seeded[:8], seeded[-4:])
        assert a[8:-4] != b[8:-4] and len(a[8:-4]) >= 20


def test_request_ids_do_not_depend_on_arrival_order():
    a, b = RequestIds(seed_for("acct")), RequestIds(seed_for("acct"))
    requests = ["GET /v1/setup_intents/seti_1 x", "POST /v1/consumers/sessions/lookup y"]
    forward = [a.next(r) for r in requests]
    backward = [b.next(r) for r in reversed(requests)]
    assert forward == list(reversed(backward))


def test_identical_requests_get_distinct_ids_in_turn():
    ids = RequestIds(seed_for("acct"))
    first, second = ids.next("GET /v1/x"), ids.next("GET /v1/x")
    assert first != second and first.startswith("req_") and len(first) == len("req_") + 14


def test_concurrent_browser_requests_cannot_shift_later_ids(client, emulator, secret_key, pk_http):
    """Reads the browser makes (any number, any order) leave the next object's id unchanged."""
    first = client.v1.setup_intents.create()
    expected = client.v1.setup_intents.create().id
    emulator.reset(secret_key)
    first = client.v1.setup_intents.create()
    for _ in range(3):  # e.g. three Element iframes reading the intent, some refused
        pk_http.get(f"/v1/setup_intents/{first.id}", params={"client_secret": first.client_secret})
        pk_http.get(f"/v1/setup_intents/{first.id}", params={"client_secret": "wrong"})
    assert client.v1.setup_intents.create().id == expected
