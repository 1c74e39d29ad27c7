"""Send one email through the SMTP server ``[mail]`` of gongkai.toml names.

Settings::

    [mail]
    host = "smtp.example.gov.cn"
    port = 465                 # default 25; 465 speaks TLS from the start, 587 upgrades (STARTTLS)
    tls = "ssl"                # "ssl" | "starttls" | "none" (default: by the port)
    user = "gongkai@example.gov.cn"
    password_env = "GONGKAI_SMTP_PASSWORD"   # the password is read from this variable, never from the file
    sender = "某某局政府信息公开 <gongkai@example.gov.cn>"

Without ``[mail]`` nothing is sent and ``configured`` says so; the caller decides whether that is
an error (``digest --email``) or a quiet omission (an applicant who gave no address).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Iterable, Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from attrs import frozen

from gongkai.core.errors import GongkaiError

TLS_MODES = ("ssl", "starttls", "none")
TIMEOUT_SECONDS = 30  # a server that does not answer must not hold a worker or a cron run forever
MAX_RECIPIENTS = 100


@frozen
class MailSettings:
    host: str = ""
    port: int = 25
    tls: str = "none"
    user: str = ""
    password: str = ""
    sender: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


def settings(raw: Mapping[str, Any], where: str = "gongkai.toml") -> MailSettings:
    """``[mail]`` of the configuration, checked; an absent table gives unconfigured settings."""
    table = raw.get("mail")
    if table is None:
        return MailSettings()
    if not isinstance(table, dict):
        raise GongkaiError(f"{where} 的 [mail] 应为一个表，如 [mail] host = \"smtp.example.gov.cn\"。")
    unknown = set(table) - {"host", "port", "tls", "user", "password_env", "sender"}
    if unknown:
        raise GongkaiError(f"{where} 的 [mail] 中有无法识别的设置：{'、'.join(sorted(unknown))}。"
                           "可用的设置为 host、port、tls、user、password_env、sender。")
    host = str(table.get("host", "")).strip()
    port = table.get("port", 25)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise GongkaiError(f"{where} 的 [mail] port 应为 1–65535 之间的整数。")
    tls = str(table.get("tls", "ssl" if port == 465 else "starttls" if port == 587 else "none"))
    if tls not in TLS_MODES:
        raise GongkaiError(f"{where} 的 [mail] tls 应为 ssl、starttls 或 none 之一（现为 {tls}）。")
    password = ""
    if table.get("password_env"):
        name = str(table["password_env"])
        password = os.environ.get(name, "")
        if not password:
            raise GongkaiError(f"{where} 的 [mail] 指定从环境变量 {name} 读取邮件密码，但该变量未设置。")
    sender = str(table.get("sender", "")).strip()
    if host and not sender:
        raise GongkaiError(f"{where} 的 [mail] 缺少发件人（sender），如 sender = \"某某局 <gk@example.gov.cn>\"。")
    return MailSettings(host, port, tls, str(table.get("user", "")), password, sender)


def message(settings_: MailSettings, to: Iterable[str], subject: str, text: str, *,
            html: str | None = None, attachments: Iterable[tuple[str, bytes, str]] = ()) -> EmailMessage:
    """The message as it would be sent; ``attachments`` are (file name, content, MIME type)."""
    recipients = [a.strip() for a in to if a and a.strip()]
    if not recipients:
        raise GongkaiError("邮件没有收件人。")
    if len(recipients) > MAX_RECIPIENTS:
        raise GongkaiError(f"一封邮件的收件人不能超过 {MAX_RECIPIENTS} 个。")
    for address in recipients:
        if "\n" in address or "\r" in address or "@" not in address:
            raise GongkaiError(f"邮件地址“{address}”格式不正确。")
    msg = EmailMessage()
    msg["From"] = settings_.sender
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject.replace("\n", " ").replace("\r", " ")
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=settings_.host or None)
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for name, content, mime in attachments:
        maintype, _, subtype = mime.partition("/")
        msg.add_attachment(content, maintype=maintype, subtype=subtype or "octet-stream", filename=name)
    return msg


def send(settings_: MailSettings, msg: EmailMessage) -> None:
    """Hand ``msg`` to the SMTP server; a failure is a GongkaiError naming the server."""
    if not settings_.configured:
        raise GongkaiError("未配置邮件服务器：请在 gongkai.toml 中设置 [mail] host 和 sender。")
    where = f"{settings_.host}:{settings_.port}"
    try:
        if settings_.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings_.host, settings_.port, timeout=TIMEOUT_SECONDS,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings_.host, settings_.port, timeout=TIMEOUT_SECONDS)
        with client:
            if settings_.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings_.user:
                client.login(settings_.user, settings_.password)
            client.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise GongkaiError(f"邮件未能发出（邮件服务器 {where}）：{exc}。请检查 gongkai.toml 的 [mail] 设置和网络。") from None
