"""Fixtures of the robustness tests (populated accounts that check every answer: `Fuzzer`) and of
the webhook tests (`receivers`: local endpoints with scripted answers)."""

from __future__ import annotations

import pytest

from .fuzz_requests import Fuzzer, account_suffix
from .fuzz_world import foreign_ids
from .webhook_support import Receiver


@pytest.fixture(scope="module")
def foreign(emulator) -> list[str]:
    """Ids and secrets of another account."""
    key = f"sk_test_{account_suffix('foreign')}"
    emulator.reset(key)
    return foreign_ids(emulator.base_url, key)


@pytest.fixture
def fuzzer(emulator, foreign, request):
    """A freshly populated account of its own (for tests whose requests succeed)."""
    fuzzer = Fuzzer(emulator, request.node.nodeid, foreign)
    yield fuzzer
    fuzzer.close()


@pytest.fixture(scope="module")
def fuzz_world(emulator, foreign):
    """One account for all random requests: what the few successes change only moves the world on."""
    fuzzer = Fuzzer(emulator, "fuzz", foreign)
    yield fuzzer
    fuzzer.close()


@pytest.fixture(scope="module")
def quiet_world(emulator, foreign):
    """One account for requests that are refused or only read."""
    fuzzer = Fuzzer(emulator, "quiet", foreign)
    yield fuzzer
    fuzzer.close()


@pytest.fixture
def receivers():
    """`receivers(statuses=None, gate=None, held=None)` makes a Receiver, closed after the test."""
    made: list[Receiver] = []

    def make(statuses=None, gate=None, held=None) -> Receiver:
        made.append(Receiver(statuses, gate, held))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()
