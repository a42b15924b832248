"""SMS through Alibaba Cloud SMS (its official SDK, ``alibabacloud-dysmsapi20170525``).

Mainland SMS may only be sent with a signature and templates the provider approved beforehand, so
the text a resident receives is the template's, filled with two parameters: ``title`` (the
message's subject, cut to the provider's limit for a variable) and ``message_no`` (the message's
number; the template holds the site's fixed address before it, as the provider refuses variable
links: ".../me/messages/${message_no}", where the whole message is in the resident's inbox).
The template of each kind comes from ``SMS_TEMPLATES`` / ``SMS_TEMPLATE_DEFAULT`` (README
"Messages" has the template texts to get approved).

SendSms answers HTTP 200 with a ``Code``: "OK" carries the ``BizId``; anything else is sorted into
"try later" (throttling, the gateway's own trouble) or "trying again cannot help" (the number, the
template, the signature). Errors the gateway answers with an HTTP error status arrive as SDK
exceptions and are sorted the same way.
"""
import json
from urllib.parse import urlsplit

from alibabacloud_dysmsapi20170525 import models as sms_models
from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
from alibabacloud_tea_openapi.models import Config as GatewayConfig
from darabonba.exceptions import TeaException
from flask import current_app

from ..delivery_settings import sms_template_for
from .base import PermanentDeliveryError, TemporaryDeliveryError

# The provider's limit on one template variable's value, in characters.
VARIABLE_MAX_CHARS = 35

# Answers that a later attempt may get through.
TEMPORARY_CODES = {
    "isv.BUSINESS_LIMIT_CONTROL": "The SMS gateway is throttling messages to this number or account",
    "isv.DAY_LIMIT_CONTROL": "The SMS gateway's daily limit is reached",
    "isv.OUT_OF_SERVICE": "The SMS account is out of service (arrears?)",
    "isv.AMOUNT_NOT_ENOUGH": "The SMS account's balance is not enough",
    "isp.SYSTEM_ERROR": "The SMS gateway had an internal error",
    "isp.RAM_PERMISSION_DENY": "The SMS access key lacks permission to send",
    "SignatureDoesNotMatch": "The SMS access key secret does not match (SMS_ACCESS_KEY_SECRET)",
    "InvalidAccessKeyId.NotFound": "The SMS access key is unknown (SMS_ACCESS_KEY_ID)",
    "Throttling.User": "The SMS gateway is throttling requests",
    "ServiceUnavailable": "The SMS gateway is unavailable",
}
# Answers that say this message can never be sent as it is.
PERMANENT_CODES = {
    "isv.MOBILE_NUMBER_ILLEGAL": "The SMS gateway refused the number {recipient}: not a valid mobile number",
    "isv.MOBILE_COUNT_OVER_LIMIT": "The SMS gateway refused the number {recipient}: too many numbers",
    "isv.BLACK_KEY_CONTROL_LIMIT": "The SMS gateway refused the message: a word in it is not allowed",
    "isv.TEMPLATE_MISSING_PARAMETERS": "The SMS template {template} expects parameters this message does not give",
    "isv.TEMPLATE_PARAMS_ILLEGAL": "The SMS gateway refused the message's parameters for template {template}",
    "isv.PARAM_LENGTH_LIMIT": "A parameter is longer than the SMS template {template} allows",
    "isv.SMS_TEMPLATE_ILLEGAL": "The SMS template {template} is not approved or does not exist",
    "isv.SMS_SIGNATURE_ILLEGAL": "The SMS signature is not approved or does not exist (SMS_SIGN_NAME)",
    "isv.SMS_SIGN_ILLEGAL": "The SMS signature is not approved or does not exist (SMS_SIGN_NAME)",
    "isv.INVALID_PARAMETERS": "The SMS gateway refused the message's parameters",
    "isv.INVALID_JSON_PARAM": "The SMS gateway refused the message's parameters",
}


def send(message):
    """Send one outbox message as an SMS; returns the gateway's BizId."""
    config = current_app.config
    template = sms_template_for(config, message.kind)
    if not template:
        raise PermanentDeliveryError(f"No SMS template is configured for messages of kind {message.kind}")
    request = sms_models.SendSmsRequest(
        phone_numbers=message.recipient,
        sign_name=config.get("SMS_SIGN_NAME"),
        template_code=template,
        template_param=json.dumps(template_parameters(message), ensure_ascii=False),
        out_id=str(message.id),
    )
    try:
        response = _client(config).send_sms(request)
    except AlibabaCloudException as exc:
        raise _answer_error(exc.code, exc.message, message, template, status=exc.status_code) from None
    except TeaException as exc:
        raise TemporaryDeliveryError(f"The SMS gateway could not be reached: {_exception_text(exc)}") from None
    except OSError as exc:
        raise TemporaryDeliveryError(f"The SMS gateway could not be reached: {exc}") from None
    answer = response.body
    if answer is None or answer.code != "OK":
        code = answer.code if answer is not None else None
        text = answer.message if answer is not None else None
        raise _answer_error(code, text, message, template)
    return answer.biz_id


def template_parameters(message):
    """The template's variables, each within the provider's limit."""
    return {"title": cut(message.subject, VARIABLE_MAX_CHARS), "message_no": str(message.id)}


def cut(text, limit):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _client(config):
    endpoint = config.get("SMS_ENDPOINT") or "dysmsapi.aliyuncs.com"
    parts = urlsplit(endpoint if "://" in endpoint else "https://" + endpoint)
    timeout_ms = int(float(config.get("SMS_TIMEOUT") or 10) * 1000)
    return Client(GatewayConfig(
        access_key_id=config.get("SMS_ACCESS_KEY_ID"),
        access_key_secret=config.get("SMS_ACCESS_KEY_SECRET"),
        endpoint=parts.netloc,
        protocol=parts.scheme,
        connect_timeout=timeout_ms,
        read_timeout=timeout_ms,
    ))


def _answer_error(code, text, message, template, status=None):
    detail = f" ({code}: {text})" if text else f" ({code})"
    if code in PERMANENT_CODES:
        reason = PERMANENT_CODES[code].format(recipient=message.recipient, template=template)
        return PermanentDeliveryError(reason + detail)
    if code in TEMPORARY_CODES:
        return TemporaryDeliveryError(TEMPORARY_CODES[code] + detail)
    if code and (code.startswith("isv.") or (status is not None and 400 <= status < 500 and status != 429)):
        # Another refusal of this message by the gateway ("isv." is the caller's side).
        return PermanentDeliveryError("The SMS gateway refused the message" + detail)
    return TemporaryDeliveryError("The SMS gateway answered with an error" + detail)


def _exception_text(exc):
    return str(getattr(exc, "message", None) or exc)
