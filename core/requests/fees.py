"""The information-processing fee (条例 第四十二条; 国办函〔2020〕109号).

Each request is charged by one method only: per request (the applicant's requests in
the same calendar month, counted in order of receipt) or per page. Both bands are
progressive: each band prices only the requests or pages that fall in it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, select

from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.records.limits import FEE_PAGES
from gongkai.core.requests import tracks
from gongkai.core.requests.models import Request
from gongkai.core.requests.workflow import apply
from gongkai.hookspecs.records import FeeBand, FeeSchedule

METHODS = {"per_request": "按件计收", "per_page": "按量计收"}


def band_price(bands: tuple[FeeBand, ...], n: int) -> int:
    """The price of the ``n``-th request or page (1-based)."""
    for band in bands:
        if n >= band.first and (band.last is None or n <= band.last):
            if band.step_every:
                return band.price + (n - band.first) // band.step_every * band.step_price
            return band.price
    raise GongkaiError(f"收费标准未覆盖第{n}件（页），请检查 request.fee 规则。")


def describe_bands(bands: tuple[FeeBand, ...], item: str) -> str:
    """The tiered rates as the fee notice states them: "30页以下（含）不收费；31—100页每页10元；…"."""
    parts = []
    for band in bands:
        span = (f"{band.first}{item}以上" if band.last is None
                else f"{band.last}{item}以下（含）" if band.first == 1 else f"{band.first}—{band.last}{item}")
        if not band.price and not band.step_every:
            parts.append(f"{span}不收费")
            continue
        rate = f"每{item}{band.price}元"
        if band.step_every:
            rate += f"，此后每增加{band.step_every}{item}，每{item}加收{band.step_price}元"
        parts.append(f"{span}{rate}")
    return "；".join(parts)


def per_request_fee(schedule: FeeSchedule, nth_in_month: int) -> int:
    """Fee for the applicant's ``nth_in_month`` request of the calendar month."""
    return band_price(schedule.per_request, nth_in_month)


def per_page_fee(schedule: FeeSchedule, pages: int) -> int:
    """Fee for a reply of ``pages`` pages: each page priced by the band it falls in.

    Computed band by band in closed form (not page by page), so any page count costs the same.
    """
    if isinstance(pages, bool) or not isinstance(pages, int) or not 1 <= pages <= FEE_PAGES:
        raise GongkaiError(f"页数“{pages}”无效（--pages），应为 1 至 {FEE_PAGES:,} 之间的整数。")
    total, covered = 0, 0
    for band in schedule.per_page:
        last = pages if band.last is None else min(band.last, pages)
        count = last - band.first + 1
        if count <= 0:
            continue
        covered += count
        total += band.price * count
        if band.step_every:  # + step_price for every full step_every pages past the band's first
            steps, rest = divmod(count, band.step_every)
            total += band.step_price * (band.step_every * steps * (steps - 1) // 2 + steps * rest)
    if covered < pages:
        raise GongkaiError(f"收费标准未覆盖全部 {pages} 页，请检查 request.fee 规则。")
    return total


def nth_in_month(session: Session, request: Request) -> int:
    """Where this request stands among the same applicant's requests of its calendar month."""
    first = request.received.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    rows = session.exec(
        select(Request.id, Request.received)
        .where(
            Request.applicant_name == request.applicant_name,
            Request.applicant_id_number == request.applicant_id_number,
            Request.received >= first,
            Request.received < nxt,
        )
    ).all()
    ordered = sorted(rows, key=lambda r: (r[1], r[0]))
    return [r[0] for r in ordered].index(request.id) + 1


def charge(session: Session, office: Any, request: Request, method: str, pages: int | None = None,
           actor: str = "", notice_on: dt.date | None = None, payment: str = "") -> int:
    """Set the fee of ``request`` by ``method``; a second method on the same request is refused.

    A fee of 0 元 (within the free band) records nothing: there is no fee and no notice, and a
    later charge may use either method. With ``notice_on``, the day the fee notice is sent, the
    reply clock stops until the payment (国办函〔2020〕109号: the period does not count, as the
    notice says); ``request resume`` on the payment day restarts it."""
    tracks.require_government(office.registry, request.track, "《条例》第四十二条的信息处理费")
    schedule = office.registry.rule("request.fee", FeeSchedule)
    if method not in METHODS:
        raise GongkaiError(f"计费方式“{method}”无效（--method），可选：per_request（按件）、per_page（按量）。")
    if request.fee_method and request.fee_method != method:
        raise StepRefused(
            f"申请 {request.id} 已{METHODS[request.fee_method]}，按件与按量只能择一（{schedule.citation}）。"
        )
    if method == "per_page":
        if not pages or pages <= 0:
            raise GongkaiError("按量计收须填写页数（--pages）。")
        amount = per_page_fee(schedule, pages)
    else:
        if not schedule.per_request:
            raise GongkaiError("本辖区收费标准未规定按件计收。")
        amount = per_request_fee(schedule, nth_in_month(session, request))
    if amount == 0:
        return 0
    request.fee_method = method
    request.fee_pages = pages if method == "per_page" else None
    request.fee_amount = amount
    details: dict[str, Any] = {"method": method, "pages": pages, "amount": amount}
    if notice_on is not None:
        details["notice_on"] = notice_on.isoformat()
    if payment.strip():
        details["payment"] = payment.strip()
    apply(session, request, "fee", actor, details)
    if notice_on is not None:
        from gongkai.core.requests import clock

        clock.pause(session, office, request, "fee", notice_on, actor=actor)
    return amount
