"""The e2e suite's own minimal merchant site (not `embedded_page`): it uses only public Stripe.js.

Named `merchant` rather than `site` so that it can never shadow the standard library's `site`.
"""

from .app import MerchantSite, create_app

__all__ = ["MerchantSite", "create_app"]
