"""Small helpers shared by the command modules: dates, the acting person, coded options."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from typing import Any

import click

from gongkai.core.errors import GongkaiError

ENV_USER = "GONGKAI_USER"


def day(text: str | None, flag: str) -> dt.date | None:
    """An ISO date from a flag; a Chinese error naming the flag."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise GongkaiError(f"{flag} “{text}”不是有效日期，请写成 2026-09-24 的形式。") from None


def actor(by: str | None) -> str:
    """Who acts: --by, else GONGKAI_USER, else the login name (recorded in every event)."""
    if by and by.strip():
        return by.strip()
    try:
        return os.environ.get(ENV_USER) or getpass.getuser()
    except Exception:  # no login name in some containers
        return ""


class LabelChoice(click.ParamType):
    """An option taking a code or its Chinese label (``--outcome partial`` or ``--outcome 部分公开``);
    the command receives the code. A bad value is refused with the labels listed
    (vocabularies: :mod:`gongkai.core.labels`)."""

    def __init__(self, vocabulary: str) -> None:
        self.vocabulary = vocabulary

    @property
    def name(self) -> str:  # the metavar in help, e.g. "--state 申请状态"
        from gongkai.core.labels import vocabulary_name

        return vocabulary_name(self.vocabulary)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from gongkai.core.labels import REGISTRY_VOCABULARIES, code_of

        app = ctx.find_root().obj if ctx is not None else None
        registry = app.registry if self.vocabulary in REGISTRY_VOCABULARIES and app is not None else None
        try:
            return code_of(self.vocabulary, str(value), registry)
        except GongkaiError as error:
            self.fail(str(error), param, ctx)


def signer(session, app, by: str | None, action: str, record=None, *, flag: str = "--by", free: str | None = None) -> str:
    """Who acts, bound to the unit's accounts once it has any (:mod:`gongkai.core.accounts.binding`):
    ``by`` (else GONGKAI_USER) must then be an active account allowed ``action``. Without
    accounts, ``free`` is recorded (default: :func:`actor`), as before accounts existed."""
    from gongkai.core.accounts.binding import signer as bound

    name = by.strip() if by and by.strip() else os.environ.get(ENV_USER, "")
    return bound(session, app.registry, name, action, record, flag=flag, free=actor(by) if free is None else free)
