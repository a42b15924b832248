"""E-mail over SMTP with Flask-Mailman: the plain text the resident's message was written as, and
an HTML alternative in the resident's language that screen readers and zoom handle well.

``send`` opens a connection per message (the relay sends one message per call); the settings are
config.py's MAIL_*. SMTP failures are sorted into "try later" and "trying again cannot help" by
the server's reply code, as RFC 5321 defines them (4xx transient, 5xx permanent).
"""
import smtplib
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale, gettext, lazy_gettext
from flask_mailman import EmailMultiAlternatives

from ...extensions import mail
from .base import PermanentDeliveryError, TemporaryDeliveryError

HTML_TEMPLATE = "messages/email/message.html"
# Said under every e-mail (the HTML template says the same).
FOOTER = lazy_gettext("You receive this because you chose e-mail for messages from the site. You can change it under “My messages”.")


def send(message):
    """Deliver one outbox message by e-mail; returns its Message-ID."""
    _check_address(message.recipient)
    message_id = message_id_for(message)
    email = build_email(message, message_id)
    connection = smtp_connection(current_app.config)
    try:
        connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()))
        raise _by_code(code, f"The mail server refused the address {message.recipient}: {_text(reply)}")
    except smtplib.SMTPSenderRefused as exc:
        # Our own From address: a setting staff fix, after which the retries go through.
        raise TemporaryDeliveryError(f"The mail server refused our sender address {exc.sender}: {_text(exc.smtp_error)}")
    except smtplib.SMTPAuthenticationError as exc:
        raise TemporaryDeliveryError(f"The mail server did not accept our login (MAIL_USERNAME): {_text(exc.smtp_error)}")
    except smtplib.SMTPResponseException as exc:
        raise _by_code(exc.smtp_code, f"The mail server refused the message: {_text(exc.smtp_error)}")
    except (smtplib.SMTPException, OSError) as exc:
        # Refused connection, timeout, a server that hung up, TLS trouble: the server may be back later.
        raise TemporaryDeliveryError(f"The mail server could not be reached: {exc}")
    return message_id


def smtp_connection(config):
    """A Flask-Mailman SMTP connection with the settings as they are now (not as the extension
    read them at start), so the channel always says what the configuration says."""
    return mail.get_connection(
        backend="smtp",
        host=config.get("MAIL_SERVER"),
        port=config.get("MAIL_PORT"),
        username=config.get("MAIL_USERNAME"),
        password=config.get("MAIL_PASSWORD"),
        use_tls=bool(config.get("MAIL_USE_TLS")),
        use_ssl=bool(config.get("MAIL_USE_SSL")),
        timeout=config.get("MAIL_TIMEOUT"),
    )


def build_email(message, message_id):
    """The multipart message: text/plain first, text/html as its alternative."""
    context = _template_context(message)
    with force_locale(message.locale or "zh_CN"):
        text = plain_text(message, context["message_url"])
        # The bare template: the site's context processors need a request, and a worker has none.
        html = current_app.jinja_env.get_template(HTML_TEMPLATE).render(**context)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=text,
        from_email=current_app.config.get("MAIL_DEFAULT_SENDER"),
        to=[message.recipient],
        headers={"Message-ID": message_id},
    )
    email.attach_alternative(html, "text/html")
    return email


def plain_text(message, url):
    """The body as the resident's message was written, the link to it, and why it was sent."""
    parts = [message.body.strip()]
    if url:
        parts.append(gettext("Read this message on the site: %(url)s", url=url))
    parts.append("-- \n" + str(FOOTER))
    return "\n\n".join(parts) + "\n"


def message_id_for(message):
    """The same Message-ID for every attempt at one outbox message, so a mail server or client that
    sees a message twice (a retry after a lost reply) can tell it is the same one."""
    return f"<outbox-{message.id}@{_mail_host()}>"


def message_url(message):
    """The message on the site (the resident's inbox), when the site's address is configured."""
    site = current_app.config.get("SITE_URL")
    return f"{site.rstrip('/')}/me/messages/{message.id}" if site else None


def _template_context(message):
    paragraphs = [block.strip() for block in message.body.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return {
        "message": message,
        "paragraphs": [paragraph.split("\n") for paragraph in paragraphs],
        "message_url": message_url(message),
        "html_lang": (message.locale or "zh_CN").replace("_", "-"),
        "footer": FOOTER,
    }


def _mail_host():
    site = current_app.config.get("SITE_URL")
    return (urlsplit(site).hostname if site else None) or current_app.config.get("CALENDAR_HOST", "activity-hub.local")


def _check_address(address):
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        raise PermanentDeliveryError(f"The address {address} is not a valid e-mail address.") from None


def _by_code(code, reason):
    return PermanentDeliveryError(reason) if 500 <= (code or 0) < 600 else TemporaryDeliveryError(reason)


def _text(reply):
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
