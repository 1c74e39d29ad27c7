"""Applicants' personal data: validating 居民身份证 numbers and masking ID and phone numbers.

Ledgers, exports, internal copies of letters and the event log show masked values by
default (``310***********0012``, ``138****5678``); the full value needs an explicit
``--reveal``, and using it is itself recorded as an event (:func:`record_reveal`).
The letter sent to the applicant is addressed to them and may carry their own data.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from gongkai.core.errors import GongkaiError
from gongkai.core.today import today as beijing_today

# GB 11643-1999 公民身份号码: 6-digit address code, 8-digit birth date, 3-digit order, check digit
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"  # check character for sum mod 11 = 0..10
_RESIDENT_ID = re.compile(r"[1-9]\d{16}[\dX]")
_DIGITS_ONLY = re.compile(r"\d{14,19}[\dXx]?")

# In free text: an 18-character ID, a mainland mobile number, a landline with area code.
_ID_IN_TEXT = re.compile(r"(?<![\dA-Za-z])(\d{3})\d{11}(\d{3}[\dXx])(?![\dA-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE_IN_TEXT = re.compile(r"(?<!\d)(0\d{2,3}-)\d{3,4}(\d{4})(?!\d)")


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def validate_resident_id(value: str, today: dt.date | None = None, flag: str = "--id-number") -> str:
    """An 18-digit 居民身份证 number, normalised (upper-case X); a Chinese error otherwise."""
    number = value.strip().replace(" ", "").upper()
    shown = mask_id_number(number)
    if len(number) != 18:
        raise GongkaiError(
            f"居民身份证号码应为 18 位（前 17 位数字，末位数字或 X），{flag} “{shown}”有 {len(number)} 位，请核对。"
        )
    if not _RESIDENT_ID.fullmatch(number):
        raise GongkaiError(f"居民身份证号码 {flag} “{shown}”含有非法字符：前 17 位须为数字，末位为数字或 X，请核对。")
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise GongkaiError(
            f"居民身份证号码 {flag} 第 7-14 位的出生日期“{number[6:14]}”不是有效日期，请核对。"
        ) from None
    if born.year < 1900 or born > (today or beijing_today()):
        raise GongkaiError(f"居民身份证号码 {flag} 中的出生日期 {born} 不合理（早于 1900 年或晚于今天），请核对。")
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise GongkaiError(
            f"居民身份证号码 {flag} “{shown}”校验码不符（GB 11643：按前 17 位应为 {expected}），号码可能录入有误，请核对。"
        )
    return number


def check_applicant_id(value: str, natural_person: bool, flag: str = "--id-number") -> str:
    """The applicant's ID document number as stored.

    A natural person's all-digit number is a 居民身份证 number and is validated in full; other
    documents (passport, 港澳台 permits, 统一社会信用代码) are kept as given, trimmed.
    """
    number = value.strip()
    if natural_person and _DIGITS_ONLY.fullmatch(number.replace(" ", "")):
        return validate_resident_id(number, flag=flag)
    return number


def mask_id_number(value: str | None) -> str:
    """``310105199001010012`` -> ``310***********0012``; short numbers keep one character each end."""
    if not value:
        return ""
    text = str(value)
    if len(text) >= 8:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    if len(text) >= 3:
        return text[0] + "*" * (len(text) - 2) + text[-1]
    return "*" * len(text)


def mask_phone(value: str | None) -> str:
    """Phone numbers in ``value`` masked: ``13812345678`` -> ``138****5678``; other text kept."""
    if not value:
        return ""
    text = _MOBILE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(2)}", str(value))
    return _LANDLINE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


def mask_text(value: str | None) -> str:
    """Every ID and phone number found in free text (a log line, an event's JSON) masked."""
    if not value:
        return value or ""
    text = _ID_IN_TEXT.sub(lambda m: f"{m.group(1)}{'*' * 11}{m.group(2)}", str(value))
    return mask_phone(text)


def record_reveal(session: Any, *, what: str, actor: str, subject_kind: str = "privacy",
                  subject_id: int | None = None) -> None:
    """Log that someone asked for unmasked personal data (``--reveal``)."""
    from gongkai.core.storage import record_event

    record_event(session, subject_kind=subject_kind, subject_id=subject_id, action="reveal", actor=actor,
                 after={"what": what})
