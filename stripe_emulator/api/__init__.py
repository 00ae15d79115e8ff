"""Handlers named after Stripe operations: (ctx, params, **path) -> Resource | dict."""
