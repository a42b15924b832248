"""The contract between the relay and the channels.

A channel's ``send(message)`` delivers one ``OutboxMessage`` (its ``channel``, ``recipient``,
``locale``, ``kind``, ``subject``, ``body``, ``id``) and returns the provider's id for it (a
Message-ID, an SMS BizId, or the message's own id for the site inbox). When it cannot:

- ``TemporaryDeliveryError``: try again later (server down, throttled, timeout); the relay backs off.
- ``PermanentDeliveryError``: trying again cannot help (no such address, a number the gateway
  refuses); the relay marks the message ``failed`` at once.

``reason`` is said in plain words, for the staff page that shows failed messages.
"""


class DeliveryError(Exception):
    permanent = False

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class TemporaryDeliveryError(DeliveryError):
    permanent = False


class PermanentDeliveryError(DeliveryError):
    permanent = True
