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

# Numbers in free text, however they are written. A digit is any Unicode decimal digit (ASCII,
# full-width, mathematical 𝟏𝟑𝟖); groups of digits are joined by up to four separators of any
# kind (spaces of every width, newlines, dashes, dots, _ / , ，、, brackets) or invisible
# characters (zero-width, soft hyphen), with an optional +86/0086 in front. Letters may stand
# right before or after (tel13812345678, 微信号wx13812345678, 13812345678abc), but not a
# token mixing several digit runs with letters (a hash, a code). A run is split into its
# groups and each window of groups is classified (mobile, landline, 400/800, ID number), so a
# date next to a phone number hides nothing.
_DIGIT = r"\d"
_ANY_DIGIT = re.compile(_DIGIT)
_FEWEST_DIGITS = 7  # the shortest number _kept() hides: a local phone number after 电话
_INVISIBLE = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff"
_SEP = (rf"\s{_INVISIBLE}\-\u2010-\u2015\u2212\uff0d.\u00b7\u30fb_/\\,\uff0c\u3001:\uff1a;\uff1b~\uff5e"
        r"()\uff08\uff09\[\]\u3010\u3011")
# Never a quote, nor a comma before a space: the log masks its events' JSON text, and a number
# spanning two JSON values would both hide what is no number and break the JSON.
_SEPS = rf"(?:(?!,\s)[{_SEP}])"
_LETTER = "A-Za-z\uff21-\uff3a\uff41-\uff5a"
_RUN = re.compile(
    rf"(?<!{_DIGIT})"
    rf"(?:(?:[+\uff0b]\s?(?:86|\uff18\uff16)|00\s?86|\uff10\uff10\uff18\uff16){_SEPS}{{0,4}})?"
    rf"(?:[(\uff08]{_DIGIT}{{3,4}}[)\uff09]{_SEPS}{{0,4}})?"
    rf"{_DIGIT}+(?:{_SEPS}{{1,4}}{_DIGIT}+)*[XxＸｘ]?"
    rf"(?!{_DIGIT})"
)
_GROUP = re.compile(rf"{_DIGIT}+[XxＸｘ]?|[(\uff08]{_DIGIT}+[)\uff09]")
_PREFIX = re.compile(rf"^(?:[+\uff0b]\s?(?:86|\uff18\uff16)|00\s?86|\uff10\uff10\uff18\uff16){_SEPS}{{0,4}}")
_CODE_BEFORE = re.compile(rf"{_DIGIT}[{_LETTER}]+$")  # digits, letters, then the run: part of a code
_CODE_AFTER = re.compile(rf"^[{_LETTER}]+{_DIGIT}")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")  # 13,800,000,000 元 is an amount, not a phone
# a bare 7- or 8-digit local number counts only right after a word that says it is a phone number
_LOCAL_CONTEXT = re.compile(r"(?:电话|手机|座机|固话|联系方式|联系电话|热线|号码|tel|Tel|TEL|phone|Phone)\s*[:：]?\s*$")


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


def _plain(text: str) -> str:
    """The digits of ``text`` as ASCII, whatever their script or width, and an X (of an ID
    number); everything else (brackets, separators, invisible characters) dropped."""
    import unicodedata

    out = []
    for ch in unicodedata.normalize("NFKC", text).upper():
        digit = unicodedata.decimal(ch, None)
        if digit is not None:
            out.append(str(digit))
        elif ch == "X":
            out.append(ch)
    return "".join(out)


def _kept(digits: str, local_context: bool) -> tuple[int, int] | None:
    """How many leading and trailing characters of a number stay visible; None: not personal data."""
    n = len(digits)
    if n == 11 and re.fullmatch(r"1[3-9]\d{9}", digits):
        return 3, 4  # mobile
    if (n == 18 and re.fullmatch(r"[1-9]\d{16}[\dX]", digits)) or (n == 15 and re.fullmatch(r"[1-9]\d{14}", digits)):
        return 3, 4  # 居民身份证 (18 digits, or the old 15)
    if n == 10 and digits[:3] in ("400", "800"):
        return 3, 4
    if 10 <= n <= 12 and re.fullmatch(r"0[1-9]\d+", digits):
        return (3 if digits[1] in "12" else 4), 4  # landline with area code (010, 02x: three digits)
    if n in (7, 8) and local_context and digits[0] != "0":
        return 0, 4
    return None


def _hide(text: str, keep: tuple[int, int]) -> str:
    """``text`` with its digits between the first ``keep[0]`` and last ``keep[1]`` shown as *."""
    positions = [i for i, ch in enumerate(text) if _plain(ch)]
    hidden = set(positions[keep[0]:len(positions) - keep[1]])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def _mask_run(match: re.Match[str]) -> str:
    run = match.group(0)
    text = match.string
    if _CODE_BEFORE.search(text[max(0, match.start() - 40):match.start()]) or \
            _CODE_AFTER.match(text[match.end():match.end() + 40]) or _THOUSANDS.fullmatch(run):
        return run
    prefix = _PREFIX.match(run)
    head, body = (run[: prefix.end()], run[prefix.end():]) if prefix else ("", run)
    groups = list(_GROUP.finditer(body))
    context = bool(_LOCAL_CONTEXT.search(match.string[max(0, match.start() - 12): match.start()]))
    out, at, i = [], 0, 0
    while i < len(groups):
        for j in range(len(groups), i, -1):  # the longest window of groups that is a number to hide
            if j > i + 1 and len(_plain(groups[i].group())) < 3:
                continue  # a number written in groups starts with 3 digits or more (138, 021, 110101): not 03 of a date
            start, end = groups[i].start(), groups[j - 1].end()
            digits = _plain(body[start:end])
            keep = _kept(digits, context and i == 0)
            if not keep and digits.endswith("X"):  # 13812345678x: a letter after the number, not an ID's X
                end -= 1
                keep = _kept(digits[:-1], context and i == 0)
            if keep:
                out += [body[at:start], _hide(body[start:end], keep)]
                at, i = end, j
                break
        else:
            i += 1
    return head + "".join(out) + body[at:]


def mask_phone(value: str | None) -> str:
    """Phone and ID numbers in ``value`` masked: ``13812345678`` -> ``138****5678``; other text kept."""
    if not value:
        return ""
    text = str(value)
    if len(_ANY_DIGIT.findall(text)) < _FEWEST_DIGITS:  # nothing to hide: most names and subjects
        return text
    return _RUN.sub(_mask_run, text)


def mask_text(value: str | None) -> str:
    """Every ID and phone number found in free text (a subject, a log line, an event's JSON) masked,
    whatever its spacing, dashes, +86/0086 prefix or full-width digits."""
    if not value:
        return value or ""
    return mask_phone(value)


def mask_values(value: Any) -> Any:
    """``value`` (a JSON-like structure) with :func:`mask_text` applied to every string in it."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: mask_values(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_values(v) for v in value]
    return value


def record_reveal(session: Any, *, what: str, actor: str, subject_kind: str = "privacy",
                  subject_id: int | None = None) -> None:
    """Log that someone asked for unmasked personal data (``--reveal``)."""
    from gongkai.core.records.storage import record_event

    record_event(session, subject_kind=subject_kind, subject_id=subject_id, action="reveal", actor=actor,
                 after={"what": what})
