"""The JSON API blueprint (``bp``, with every endpoint module's routes on it) and the
account page where people manage their API tokens (``EXTRA_BLUEPRINTS``)."""
from .framework import bp
from .openapi import endpoint_modules
from .token_pages import api_tokens_bp

endpoint_modules()

EXTRA_BLUEPRINTS = (api_tokens_bp,)

__all__ = ["bp", "EXTRA_BLUEPRINTS"]
