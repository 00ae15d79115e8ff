"""Model classes, one module per Stripe object, each with `to_dict()` and its operations."""
