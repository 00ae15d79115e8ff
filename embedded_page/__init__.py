"""The guide's merchant integration: a Starlette app using only `stripe` and Stripe.js."""

from .app import create_app
from .settings import Settings, SettingsError

__all__ = ["Settings", "SettingsError", "create_app"]
