"""The SMS channel through the official Alibaba Cloud SDK, against a local stand-in for SendSms:
the request the SDK makes (number, signature, template, parameters within the limits), and how
the gateway's answers become "sent", "try later" or "give up"."""
import json

import pytest

from activity_hub.messages.channels import sms as sms_channel
from activity_hub.messages.channels.base import PermanentDeliveryError, TemporaryDeliveryError
from bench.local_smtp import free_port
from tests.messages.outbox_rows import outbox_message
from tests.messages.sms_gateway_stub import SendSmsStub

PHONE = "13912345678"


@pytest.fixture
def gateway(app, monkeypatch):
    with SendSmsStub() as stub:
        settings = {"SMS_ENDPOINT": stub.endpoint, "SMS_ACCESS_KEY_ID": "test-key-id",
                    "SMS_ACCESS_KEY_SECRET": "test-secret", "SMS_SIGN_NAME": "残联活动",
                    "SMS_TEMPLATES": {"registration_confirmed": "SMS_100001"},
                    "SMS_TEMPLATE_DEFAULT": "SMS_100000", "SMS_TIMEOUT": 5}
        for key, value in settings.items():
            monkeypatch.setitem(app.config, key, value)
        yield stub


def test_a_message_is_sent_with_its_kinds_template_and_returns_the_biz_id(app_ctx, make_user, gateway):
    message = outbox_message(make_user(), "sms", PHONE, subject="报名成功：无障碍读书会")

    assert sms_channel.send(message) == "biz-1^0"

    [request] = gateway.requests
    query = request["query"]
    assert query["PhoneNumbers"] == PHONE
    assert query["SignName"] == "残联活动"
    assert query["TemplateCode"] == "SMS_100001"
    assert query["OutId"] == str(message.id)
    assert json.loads(query["TemplateParam"]) == {"title": "报名成功：无障碍读书会", "message_no": str(message.id)}
    assert request["headers"]["x-acs-action"] == "SendSms"
    assert "Credential=test-key-id" in request["headers"]["Authorization"]


def test_a_kind_without_its_own_template_uses_the_default(app_ctx, make_user, gateway):
    message = outbox_message(make_user(), "sms", PHONE, kind="event_cancelled", subject="活动取消")
    sms_channel.send(message)
    assert gateway.requests[0]["query"]["TemplateCode"] == "SMS_100000"


def test_a_kind_without_any_template_is_not_sent(app_ctx, make_user, gateway, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_TEMPLATE_DEFAULT", None)
    message = outbox_message(make_user(), "sms", PHONE, kind="event_cancelled")
    with pytest.raises(PermanentDeliveryError, match="No SMS template is configured for messages of kind event_cancelled"):
        sms_channel.send(message)
    assert gateway.requests == []


def test_a_long_subject_is_cut_to_the_providers_limit(app_ctx, make_user, gateway):
    subject = "活动时间变更：" + "社区无障碍文化节" * 6
    message = outbox_message(make_user(), "sms", PHONE, subject=subject)
    sms_channel.send(message)
    title = json.loads(gateway.requests[0]["query"]["TemplateParam"])["title"]
    assert len(title) == sms_channel.VARIABLE_MAX_CHARS
    assert title.startswith("活动时间变更：社区无障碍文化节") and title.endswith("…")


def test_throttling_means_try_later(app_ctx, make_user, gateway):
    gateway.answer(PHONE, "isv.BUSINESS_LIMIT_CONTROL", "触发小时级流控Permits:5")
    message = outbox_message(make_user(), "sms", PHONE)
    with pytest.raises(TemporaryDeliveryError, match="throttling") as error:
        sms_channel.send(message)
    assert "isv.BUSINESS_LIMIT_CONTROL" in error.value.reason


def test_an_illegal_number_is_a_permanent_failure_in_plain_words(app_ctx, make_user, gateway):
    gateway.answer("12345", "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
    message = outbox_message(make_user(), "sms", "12345")
    with pytest.raises(PermanentDeliveryError) as error:
        sms_channel.send(message)
    assert error.value.reason.startswith("The SMS gateway refused the number 12345: not a valid mobile number")


@pytest.mark.parametrize("code", ["isv.TEMPLATE_MISSING_PARAMETERS", "isv.SMS_TEMPLATE_ILLEGAL"])
def test_a_template_the_gateway_refuses_is_a_permanent_failure(app_ctx, make_user, gateway, code):
    gateway.answer(PHONE, code)
    message = outbox_message(make_user(), "sms", PHONE)
    with pytest.raises(PermanentDeliveryError, match="SMS_100001"):
        sms_channel.send(message)


def test_a_gateway_error_status_means_try_later(app_ctx, make_user, gateway):
    gateway.answer(PHONE, "isp.SYSTEM_ERROR", status=500)
    message = outbox_message(make_user(), "sms", PHONE)
    with pytest.raises(TemporaryDeliveryError, match="internal error"):
        sms_channel.send(message)


def test_a_gateway_that_cannot_be_reached_means_try_later(app_ctx, make_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_ENDPOINT", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setitem(app.config, "SMS_TEMPLATE_DEFAULT", "SMS_100000")
    monkeypatch.setitem(app.config, "SMS_ACCESS_KEY_ID", "test-key-id")
    monkeypatch.setitem(app.config, "SMS_ACCESS_KEY_SECRET", "test-secret")
    message = outbox_message(make_user(), "sms", PHONE)
    with pytest.raises(TemporaryDeliveryError, match="could not be reached"):
        sms_channel.send(message)
