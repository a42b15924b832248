"""Delivery channels. Each channel module offers ``send(message) -> provider_message_id`` for an
``OutboxMessage`` and raises one of the errors of ``base`` when it cannot deliver.

Which module delivers a channel is configuration (``MESSAGE_BACKENDS``: {channel: module path}), so
development can point every channel at the console and tests at a fake provider, without the relay
knowing. A channel module may also offer ``find_accepted(message) -> provider_message_id | None``:
asked by the relay about a message whose worker stopped between sending and recording, it says
whether the provider already took the message, so the message is not sent a second time.
"""
import importlib

from .base import TemporaryDeliveryError


def backend_for(app, channel):
    """The module that delivers ``channel`` in ``app``, from ``MESSAGE_BACKENDS``.

    A channel without a backend is a configuration fault; it is raised as a temporary delivery error
    so the message waits (and backs off) instead of being lost while an operator fixes the setting."""
    module_path = (app.config.get("MESSAGE_BACKENDS") or {}).get(channel)
    if not module_path:
        raise TemporaryDeliveryError(f"no delivery backend is configured for the {channel} channel")
    try:
        return importlib.import_module(module_path)
    except ImportError as exc:
        raise TemporaryDeliveryError(
            f"the delivery backend {module_path} of the {channel} channel cannot be loaded ({exc})"
        ) from exc
