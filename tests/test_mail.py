"""core/mail/smtp.py against a real SMTP server on loopback."""

from __future__ import annotations

import tomllib

import pytest

from gongkai.core.errors import GongkaiError
from gongkai.core.mail import smtp
from tests.mail_helpers import mail_toml, smtp_server


def test_a_message_reaches_the_server_with_its_chinese_subject_and_attachment():
    with smtp_server() as (port, received):
        settings = smtp.settings(tomllib.loads(mail_toml(port)))
        msg = smtp.message(settings, ["applicant@example.com"], "您的政府信息公开申请已提交", "查询码：ABCD",
                           attachments=[("回执.pdf", b"%PDF-1.4", "application/pdf")])
        smtp.send(settings, msg)
    assert len(received) == 1
    got = received[0]
    assert got["Subject"] == "您的政府信息公开申请已提交"
    assert "查询码：ABCD" in got.get_body(("plain",)).get_content()
    [part] = list(got.iter_attachments())
    assert part.get_filename() == "回执.pdf" and part.get_content() == b"%PDF-1.4"


def test_settings_are_checked_with_chinese_messages(monkeypatch):
    with pytest.raises(GongkaiError, match="tls 应为"):
        smtp.settings({"mail": {"host": "h", "sender": "a@b", "tls": "maybe"}})
    with pytest.raises(GongkaiError, match="无法识别"):
        smtp.settings({"mail": {"host": "h", "sender": "a@b", "password": "x"}})
    with pytest.raises(GongkaiError, match="GONGKAI_SMTP_PW"):
        smtp.settings({"mail": {"host": "h", "sender": "a@b", "password_env": "GONGKAI_SMTP_PW"}})
    assert not smtp.settings({}).configured


def test_header_injection_through_an_address_is_refused():
    settings = smtp.MailSettings(host="h", sender="a@b")
    with pytest.raises(GongkaiError, match="格式不正确"):
        smtp.message(settings, ["x@y\nBcc: z@w"], "s", "t")


def test_an_unreachable_server_is_a_chinese_error():
    with smtp_server() as (port, _):
        pass  # stopped: nothing listens on the port now
    settings = smtp.MailSettings(host="127.0.0.1", port=port, sender="a@b")
    with pytest.raises(GongkaiError, match="邮件未能发出"):
        smtp.send(settings, smtp.message(settings, ["x@y.cn"], "s", "t"))
