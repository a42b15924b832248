"""What production needs before it may start with the real delivery channels: an SMTP server for
e-mail, and for SMS the gateway's keys, a signature and an approved template for every message
kind. Checked once at start (``config.ProductionConfig.check``) so a missing setting is found by
whoever deploys, not by a resident whose message silently fails."""
from .kinds import MESSAGE_KINDS

EMAIL_CHANNEL_MODULE = "activity_hub.messages.channels.email"
SMS_CHANNEL_MODULE = "activity_hub.messages.channels.sms"


def sms_template_for(config, kind):
    """The template code of a message kind: its own, else the default, else None."""
    return (config.get("SMS_TEMPLATES") or {}).get(kind) or config.get("SMS_TEMPLATE_DEFAULT")


def kinds_without_sms_template(config):
    return [kind for kind in MESSAGE_KINDS if not sms_template_for(config, kind)]


def background_work_problem(config):
    """Production runs its background work on Celery, so without a broker it refuses to start.

    Without one, messages would be sent from inside the web workers after each response, and
    nothing else would run: no retry of a failed send until another commit happens to nudge, no
    sweep of a worker's expired lease, no reminders, no events marked completed. That is ``make
    run``'s choice (development needs nothing but Python), not a site's. ``MESSAGE_DELIVERY=off``
    says outright that this process sends nothing (a benchmark, a one-off command)."""
    if config.get("CELERY_BROKER_URL") or config.get("MESSAGE_DELIVERY") == "off":
        return None
    return ("CELERY_BROKER_URL is not set (e.g. redis://127.0.0.1:6379/1): production delivers messages and runs "
            "reminders with `celery -A activity_hub.worker worker` and one `celery -A activity_hub.worker beat`; "
            "set MESSAGE_DELIVERY=off only for a process that sends nothing")


def delivery_setting_problems(config):
    """Plain sentences, one per missing setting: the broker, and what the channels ``MESSAGE_BACKENDS``
    uses need."""
    backends = config.get("MESSAGE_BACKENDS") or {}
    problems = [problem for problem in (background_work_problem(config),) if problem]
    if backends.get("email") == EMAIL_CHANNEL_MODULE and not config.get("MAIL_SERVER"):
        problems.append("e-mail is sent over SMTP but MAIL_SERVER is not set")
    if backends.get("email") == EMAIL_CHANNEL_MODULE and config.get("MAIL_USE_TLS") and config.get("MAIL_USE_SSL"):
        problems.append("MAIL_USE_TLS (STARTTLS) and MAIL_USE_SSL (TLS) exclude each other: set one")
    if backends.get("sms") == SMS_CHANNEL_MODULE:
        for name in ("SMS_ACCESS_KEY_ID", "SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME"):
            if not config.get(name):
                problems.append(f"SMS is sent through the gateway but {name} is not set")
        missing = kinds_without_sms_template(config)
        if missing:
            variables = ", ".join("SMS_TEMPLATE_" + kind.upper() for kind in missing)
            problems.append(
                f"no SMS template for the message kinds {', '.join(missing)} "
                f"(set {variables}, or SMS_TEMPLATE_DEFAULT)"
            )
    return problems
