"""Offline, stateful emulator of Stripe test mode (HTTP API + Stripe.js stand-in)."""

from .server import Emulator

__all__ = ["Emulator"]
