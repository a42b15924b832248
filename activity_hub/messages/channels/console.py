"""The development channel: instead of an SMTP server or the SMS gateway, each message is written
to the app's log (the console of ``make run`` or of a worker), readably, so a newcomer sees what a
resident would receive without configuring either; ``/dev/messages`` shows the same messages from
the outbox. Development maps both e-mail and SMS here (``MESSAGE_BACKENDS``).

Written at WARNING so it shows under the log levels a worker and the development server use by
default."""
from flask import current_app

_RULE = "-" * 60


def send(message):
    current_app.logger.warning(
        "\n%s\n%s message #%s (%s) to %s [%s]\nSubject: %s\n\n%s\n%s",
        _RULE, message.channel.upper(), message.id, message.kind, message.recipient, message.locale,
        message.subject, message.body, _RULE,
    )
    return f"console-{message.id}"
