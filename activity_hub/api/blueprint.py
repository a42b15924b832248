"""The JSON API blueprint (``bp``, with every endpoint module's routes on it) and the
account page where people manage their API tokens (``EXTRA_BLUEPRINTS``).

``bp`` itself is made in ``framework.py``, with the authentication and error handling every
endpoint shares, because each endpoint module declares its routes through ``framework.Routes``;
this module imports the endpoint modules (``openapi.ENDPOINT_MODULES``), and none imports it."""
from .framework import bp
from .openapi import endpoint_modules
from .token_pages import api_tokens_bp

endpoint_modules()

EXTRA_BLUEPRINTS = (api_tokens_bp,)

__all__ = ["bp", "EXTRA_BLUEPRINTS"]
