"""Radar's test cards: the risk level and score of a charge (docs/facts/test_cards.md#declines-and-radar)."""

from __future__ import annotations

# Radar test cards: card number -> (risk_level, risk_score); any other card is "normal" (0-64).
RISK_LEVELS: dict[str, tuple[str, int]] = {
    "4100000000000019": ("highest", 95),
    "4000000000004954": ("highest", 85),
    "4000000000009235": ("elevated", 70),
}
