"""Delivery channels. Each channel module offers ``send(message) -> provider_message_id`` for an
``OutboxMessage`` and raises one of the errors of ``base`` when it cannot deliver."""
