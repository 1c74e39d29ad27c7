"""Importing an existing ledger (.xlsx or .csv) with a column mapping.

Rows stream in (openpyxl read-only, csv reader); every BATCH rows are one transaction. A bad
row (one ``request new`` or ``reply`` would refuse, or a repeat of an earlier row) is
reported with its line number and skipped; every good row is kept, whole.

Each run is a :class:`LedgerImport` row: the file's SHA-256 (the same file is not imported
twice unless asked), and how far it got, updated in the same transaction as each batch. So
after Ctrl-C, a crash or a failure, it says exactly which rows are stored and where to go
on (``--from-line``).

The import is a bulk path, not the workflow row by row. Two processes share the work
(:mod:`gongkai.core.units.background`): one reads the file and checks each row with the same
functions as ``request new`` (intake.request_fields), CHUNK rows at a time (_Checker); the
other stores each chunk as it comes, with one executemany per table (requests, clocks,
events), no ORM objects and no per-row SELECT (_Writer). The request and its reply clock
are what intake.receive and a reply would have stored; its history is one ``import`` event
on the hash chain, saying what the ledger gave (state, receipt, reply), not a receipt and a
reply that gongkai never saw happen.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import operator
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from sqlmodel import select

from gongkai.core.records import digest, importing
from gongkai.core.records.importing import ImportReport
from gongkai.core.records.chain import append_columns
from gongkai.core.units.background import background, deferred_interrupt, stoppable
from gongkai.core.time.deadline_store import StoredDeadline, term_columns, term_ids
from gongkai.core.time.deadlines import compute
from gongkai.core.errors import GongkaiError
from gongkai.core.records.privacy import mask_text
from gongkai.core.requests import history, intake, search
from gongkai.core.requests.models import OWNER, LedgerImport, Request
from gongkai.core.requests.reply import check_reply_facts, parse_withheld
from gongkai.core.requests.workflow import check_after, next_state_after
from gongkai.core.records.storage import bigram_words, bulk_connection, insert_columns, session_scope, utc
from gongkai.core.today import not_future

FIELDS = {  # field -> (Chinese name, required)
    "applicant": ("申请人", True),
    "applicant_type": ("申请人类型", True),
    "channel": ("渠道", True),
    "submitted": ("提交日期", True),
    "confirmed": ("确认日期", False),
    "subject": ("申请内容", True),
    "id_number": ("证件号码", False),
    "contact": ("联系方式", False),
    "outcome": ("答复结果", False),
    "replied_on": ("答复日期", False),
    "ref": ("本单位编号", False),
    "fee_amount": ("信息处理费（元）", False),
    # what `request reply` also asks for these outcomes (条例 第三十六、三十七条)
    "withheld": ("不予公开的内容及理由", False),
    "agency": ("负责公开的机关", False),
    "agency_contact": ("负责公开机关的联系方式", False),
    # the clock's history and how a withdrawal came in: replayed through the single commands
    **history.FIELDS,
}
FEE_LIMIT = 1_000_000  # yuan: far above any fee of 国办函〔2020〕109号's bands, a typo's bound
BATCH = 10_000  # rows per transaction
CHUNK = 1000  # rows the checking process sends at a time (BATCH is a multiple of it)


def stored_so_far(run: LedgerImport) -> str:
    """What a run stored, in words: exactly the committed batches."""
    if run.last_line < run.first_line:
        return (f"已保存 0 件：文件第 {run.first_line} 行起均未导入。可用同一命令重新导入"
                f"{'' if run.first_line == 2 else f'（加 --from-line {run.first_line}）'}")
    refused = f"，其中 {run.rejected:,} 行有误或重复未导入" if run.rejected else ""
    return (f"已保存 {run.stored:,} 件：文件第 {run.first_line} 至 {run.last_line} 行已处理完毕{refused}；"
            f"第 {run.last_line + 1} 行起均未导入。继续导入其余的行，请用同一命令加 --from-line {run.last_line + 1}"
            "（已保存的行不要再导入）")


def parse_mapping(items: tuple[str, ...] | list[str], fields: importing.Fields = FIELDS) -> dict[str, str]:
    """``--map 申请人=applicant,日期=submitted`` -> column -> field (:func:`importing.parse_mapping`)."""
    return importing.parse_mapping(items, fields)


_date = importing.cell_date
_items = importing.items


# The request columns a ledger row gives, in the order _Checker.check returns them; every
# other column has the value a new request has (_Writer.constants).
COLUMNS = ("applicant_name", "applicant_type", "applicant_id_number", "applicant_contact", "channel", "submitted",
           "confirmed", "received", "subject", "form_wanted", "period_start", "ref", "state", "outcome", "replied_on",
           "reasons", "fee_amount", "withheld_parts", "other_agency", "other_agency_contact")
_FIELDS = operator.itemgetter(*COLUMNS[:12])  # those intake.request_fields checks


@attrs.define
class Checked:
    """Some rows of a ledger, checked: what the writer stores, column by column."""

    read: int  # rows read from the file so far
    line: int  # the file line of the last of them
    errors: list[tuple[int, str]]  # (row number, message) of the bad ones
    requests: dict[str, list[Any]]  # the good rows' request columns (COLUMNS)
    events: list[str]  # each good row's import event (its ``after`` JSON)
    # SQLite: the good rows' search words (storage.bigram_words of the applicant's name and of
    # the subject), computed here, beside the writing (search.stored_in_bulk)
    words: dict[str, list[str]] = attrs.field(factory=dict)
    # good rows with steps to replay (history.Steps; a withdrawal), by index among the good
    # rows: (file line, steps)
    history: dict[int, tuple[int, history.Steps]] = attrs.field(factory=dict)
    unreadable: str | None = None  # the last chunk: why the file cannot be read further


class _Checker:
    """Checks ledger rows with the same functions as ``request new`` and turns them into
    stored values. No database: this is the CPU work that runs beside the writing."""

    def __init__(self, office: Any, refs: set[str] | None = None) -> None:
        self.registry = office.registry
        self.words = office.engine.dialect.name == "sqlite"  # the search index is ours to write
        self.replied_state = next_state_after("received", "reply")
        self.reply_rule = office.registry.deadline("request.reply")
        self.calendar = office.calendar
        self.refs = refs if refs is not None else set()  # references already used: stored, or earlier in the file
        # outcomes by code or by their Chinese names (as exported ledgers show them)
        self.outcomes = {**{o.name: code for code, o in self.registry.outcomes.items()}, **{c: c for c in self.registry.outcomes}}

    def chunks(self, path: Path, mapping: dict[str, str], from_line: int = 2) -> Iterator[Checked]:
        """The file's rows from line ``from_line`` on, checked, CHUNK rows at a time."""
        rows = importing.read_rows(path)
        next(rows, None)  # the headers
        read = n = 0
        good: list[tuple[Any, ...]] = []
        events: list[str] = []
        errors: list[tuple[int, str]] = []
        replays: dict[int, tuple[int, history.Steps]] = {}
        seen: dict[tuple[str, ...], int] = {}  # each distinct row -> the line it was first on
        columns = list(mapping)
        try:
            for n, raw in rows:
                if n < from_line:
                    continue
                read += 1
                key = tuple("" if raw.get(c) is None else str(raw.get(c)).strip() for c in columns)
                first = seen.setdefault(key, n)
                try:
                    if first != n:
                        raise GongkaiError(f"与第 {first} 行完全相同（同一台账中的重复行），未重复导入")
                    request, event, steps = self.check({field: raw.get(column) for column, field in mapping.items()})
                except GongkaiError as exc:
                    errors.append((n, str(exc)))
                else:
                    if steps is not None:
                        replays[len(good)] = (n, steps)
                    good.append(request)
                    events.append(event)
                if read % CHUNK == 0:
                    yield self._chunk(read, n, errors, good, events, replays)
                    good, events, errors, replays = [], [], [], {}
        except GongkaiError as exc:  # an unreadable row: the rows before it are kept, as the caller says
            yield attrs.evolve(self._chunk(read, n, errors, good, events, replays), unreadable=str(exc))
            return
        if read % CHUNK or not read:
            yield self._chunk(read, n, errors, good, events, replays)

    def _chunk(self, read: int, line: int, errors: list[tuple[int, str]], good: list[tuple[Any, ...]],
               events: list[str], replays: dict[int, tuple[int, history.Steps]]) -> Checked:
        columns = dict(zip(COLUMNS, map(list, zip(*good) if good else [[] for _ in COLUMNS])))
        words = {"applicant": list(map(bigram_words, columns["applicant_name"])),
                 "subject": list(map(bigram_words, columns["subject"]))} if self.words else {}
        return Checked(read, line, errors, columns, events, history=replays, words=words)

    def check(self, values: dict[str, Any]) -> tuple[tuple[Any, ...], str, history.Steps | None]:
        """One row's request columns (COLUMNS), import event and the steps to replay after it
        (None: none); a GongkaiError for a bad row."""
        text = {k: ("" if v is None else str(v).strip()) for k, v in values.items()}
        submitted = _date(values.get("submitted"), "提交日期")
        if submitted is None:
            raise GongkaiError("提交日期为空")
        fields = intake.request_fields(
            self.registry, applicant=text.get("applicant", ""), applicant_type=text.get("applicant_type", ""),
            channel=text.get("channel", ""), submitted=submitted, confirmed=_date(values.get("confirmed"), "确认日期"),
            subject=text.get("subject", ""), id_number=text.get("id_number", ""), contact=text.get("contact", ""),
            ref=text.get("ref"))
        if fields["ref"] is not None:
            if fields["ref"] in self.refs:
                raise GongkaiError(f"本单位编号“{fields['ref']}”已被使用（已有的申请或本文件中前面的行），同一单位内不能重复")
            self.refs.add(fields["ref"])
        received = fields["received"]
        self._not_future(received, "收到申请")
        self._reply_clock(received)
        state, outcome, replied, reasons, withheld, agency, contact = "received", None, None, "", "", "", ""
        if text.get("outcome"):
            found = self.registry.outcome(self.outcomes.get(text["outcome"], text["outcome"]))
            replied = _date(values.get("replied_on"), "答复日期")
            if replied is None:
                raise GongkaiError("有答复结果时须填写答复日期")
            check_after(replied, received, "答复", "收到申请之日")
            self._not_future(replied, "答复")
            parts = parse_withheld(_items(text.get("withheld", "")), "不予公开的内容及理由")
            agency, contact = text.get("agency", ""), text.get("agency_contact", "")
            check_reply_facts(found.code, parts, agency, contact, how=IMPORT_HOW)
            state, outcome, reasons = self.replied_state, found.code, found.name
            withheld = json.dumps(parts, ensure_ascii=False) if parts else ""
        fee = _fee(values.get("fee_amount"))
        steps = history.parse(text, outcome, lambda field, name: _date(values.get(field), name))
        if steps or outcome == history.WITHDRAWN:
            # stored as received, then the steps and the outcome through their own functions
            event = _import_event("received", received, fields["channel"], None, None, fields["ref"], fee)
        else:
            steps = None
            event = _import_event(state, received, fields["channel"], outcome, replied, fields["ref"], fee)
        columns = (*_FIELDS(fields), state, outcome, replied, reasons, fee, withheld, agency, contact)
        return columns, event, steps

    @functools.lru_cache(maxsize=4096)  # noqa: B019  # one checker per import: a day allowed stays allowed
    def _not_future(self, on: dt.date, what: str) -> None:
        """today.not_future, once per day (each call reads the environment and the clock; a ledger repeats its days)."""
        not_future(on, what)

    @functools.lru_cache(maxsize=4096)  # noqa: B019  # one checker per import; a ledger repeats its dates
    def _reply_clock(self, received: dt.date) -> None:
        """The reply clock the writer will store can be computed (the calendar covers it):
        refused here, with its line, rather than failing the batch when it is stored."""
        compute(self.reply_rule, received, self.calendar)


# how the import names the columns `request reply`'s checks ask for
IMPORT_HOW = {"withheld": "“不予公开的内容及理由”列（withheld，如“联系人电话：个人隐私”，多项用；分隔）",
              "agency": "“负责公开的机关”和“负责公开机关的联系方式”列（agency、agency_contact）"}


_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # as event_json writes


@functools.lru_cache(maxsize=4096)  # many rows share one, and the pipe then carries it once
def _fee(value: Any) -> int | None:
    """The information-processing fee in a cell (whole yuan; 条例 第四十二条), or None if blank."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    try:
        amount = float(text)
    except ValueError:
        amount = float("nan")
    if not (0 <= amount <= FEE_LIMIT) or amount != int(amount):
        raise GongkaiError(f"信息处理费“{text}”无效：应为 0 至 {FEE_LIMIT:,} 之间的整数元")
    return int(amount)


def _import_event(state: str, received: dt.date, channel: str, outcome: str | None, replied: dt.date | None,
                  ref: str | None = None, fee: int | None = None) -> str:
    """The ``after`` JSON of a row's import event: the state, receipt and reply it came with.
    event_json's JSON without its masking pass: codes, dates and the unit's reference."""
    after = {"state": state, "version": 1, "received": received.isoformat(), "channel": channel}
    if ref:
        after["ref"] = mask_text(ref)  # as event_json would
    if fee is not None:
        after["fee"] = fee
    if outcome:
        after.update(outcome=outcome, on=replied.isoformat() if replied else None)
    return _ENCODE(after)


class _Writer:
    """Stores checked rows: requests, their reply clocks and their events (chained), one
    executemany per table; no ORM objects and no per-row SELECT."""

    def __init__(self, office: Any, actor: str) -> None:
        self.office, self.actor = office, actor
        self.reply_rule = office.registry.deadline("request.reply")
        day = dt.date(2000, 1, 3)
        blank = Request(applicant_name="", applicant_type="", channel="", submitted=day, received=day, subject="",
                        period_start=day)
        self.constants = {**blank.model_dump(exclude={"id", *COLUMNS}), "version": 1, "imported": True}
        self.terms: dict[dt.date, int] = {}  # the reply clock's term per start day: many rows share one
        self.term_texts: dict[int, str] = {}  # term id -> its inputs as a clock's digest writes them
        # whether the records' digests are computed from the values stored (digest.for_new): yes,
        # unless the first record's differs from its stored rows' (then read back, as before)
        self.from_values: bool | None = None

    def _term_ids(self, session: Any, starts: list[dt.date]) -> list[int]:
        """The reply clocks' term ids; each start day's term found or stored once."""
        new = sorted(set(starts) - self.terms.keys())
        if new:
            terms = [term_columns(compute(self.reply_rule, start, self.office.calendar)) for start in new]
            ids = term_ids(session, terms)
            self.terms.update(zip(new, ids))
            self.term_texts.update(zip(ids, map(digest.term_text, terms)))
        return list(map(self.terms.__getitem__, starts))

    def write(self, session: Any, chunk: Checked) -> tuple[list[int], list[tuple[int, str]]]:
        """Store ``chunk`` in the caller's transaction, in file order: the rows in bulk, a row
        with steps to replay on its own (:meth:`replay`). Returns the new request ids and the
        rows the replay refused (line, message)."""
        ids: list[int] = []
        errors: list[tuple[int, str]] = []
        start = 0
        for index in [*sorted(chunk.history), len(chunk.events)]:
            if index > start:
                ids += self._bulk(session, {k: v[start:index] for k, v in chunk.requests.items()},
                                  chunk.events[start:index], {k: v[start:index] for k, v in chunk.words.items()})
            if index < len(chunk.events):
                line, steps = chunk.history[index]
                try:
                    with session.begin_nested():  # refused: this row only is undone
                        ids.append(self.replay(session, {k: v[index] for k, v in chunk.requests.items()},
                                               chunk.events[index], steps))
                except GongkaiError as exc:
                    errors.append((line, str(exc)))
            start = index + 1
        return ids, errors

    def replay(self, session: Any, values: dict[str, Any], event: str, steps: history.Steps) -> int:
        """One row stored as received (with its import event and reply clock), then its steps
        and its outcome through the single commands' functions (:mod:`history`)."""
        from gongkai.core.requests.clock import refresh
        from gongkai.core.records.storage import record_event

        reply = {k: values.pop(k) for k in ("outcome", "replied_on", "reasons", "withheld_parts", "other_agency",
                                             "other_agency_contact")}
        values.pop("state")
        request = Request(**{**self.constants, **values, "state": "received"})
        session.add(request)
        session.flush()
        after = json.loads(event)
        record_event(session, subject_kind=OWNER, subject_id=request.id, action="import", actor=self.actor,
                     after=after)
        refresh(session, self.office, request)
        history.replay(session, self.office, request, steps, self.actor)
        history.finish(session, self.office, request, steps, reply, self.actor)
        session.flush()
        return request.id

    def _bulk(self, session: Any, requests: dict[str, list[Any]], events: list[str],
              words: dict[str, list[str]]) -> list[int]:
        count = len(events)
        ids = search.stored_in_bulk(
            session, lambda: insert_columns(session, Request.__table__, {**self.constants, **requests}, count,
                                            return_ids=True), words.get("applicant", []), words.get("subject", []))
        # the reply clock, met if the ledger has the reply; no intake clock: importing
        # history is not the platform entry a local intake rule times
        replied = requests["replied_on"]
        clocks = {"owner_kind": OWNER, "name": "reply", "rule_id": self.reply_rule.id,
                  "status": ["open" if day is None else "met" for day in replied], "met_on": replied,
                  "term_id": self._term_ids(session, requests["received"])}
        insert_columns(session, StoredDeadline.__table__, {**clocks, "owner_id": ids}, count)
        append_columns(session, {
            "at": utc(dt.datetime.now(dt.timezone.utc)), "actor": self.actor, "subject_kind": OWNER,
            "subject_id": ids, "action": "import", "after": events,
        }, count, self._digests(session, ids, {**self.constants, **requests}, clocks))
        return ids

    def _digests(self, session: Any, ids: list[int], request: dict[str, Any], clock: dict[str, Any]) -> list[str] | None:
        """Each new request's digest from the values just stored (its row and its reply clock),
        rather than reading the rows back: a third of the import's time. The first record's is
        compared with its stored rows' once per import; should they differ (a column the
        values miss), the digests are read back, as for any other bulk write."""
        from sqlmodel import SQLModel

        from gongkai.core.records.storage import import_models

        if self.from_values is False:
            return None
        if self.from_values is None:
            import_models()  # a request's parts live in tables this command may not have loaded (attachments)
        computed = digest.for_new(OWNER, SQLModel.metadata, request, len(ids), {StoredDeadline.__tablename__: clock},
                                  self.term_texts)
        if self.from_values is None:
            stored = digest.for_ids(digest.query_fetch(session.connection(), SQLModel.metadata), OWNER,
                                    SQLModel.metadata, {ids[0]}, marks=False)
            self.from_values = stored[ids[0]] == computed[0]
            if not self.from_values:
                return None
        return computed


def import_ledger(office: Any, path: Path, mapping: dict[str, str] | None, actor: str = "",
                  progress: Callable[[int, int], None] | None = None, in_background: bool = True,
                  again: bool = False, from_line: int = 2) -> ImportReport:
    """Import ``path`` from line ``from_line`` on; each batch of rows is one transaction, bad
    rows are reported and skipped. ``mapping`` (header -> field) may be None for a file whose
    headers are the fields' Chinese names (:func:`importing.default_mapping`: a ledger exported by
    ``ledger --xlsx``). A file imported before (the same SHA-256) is refused unless ``again``,
    or unless this goes on where its interrupted run stopped (``from_line``).

    ``progress(rows_read, rows_expected)`` is called after each batch is committed
    (``rows_expected`` is estimated from the file before reading it). The rows are checked
    in a second process while the batch before is stored (:mod:`gongkai.core.units.background`;
    ``in_background=False``: in this one). Interrupted or failed, it raises a GongkaiError
    saying exactly which rows are stored (read back from the database).
    """
    if from_line < 2:
        raise GongkaiError(f"--from-line {from_line} 无效：第 1 行是表头，数据从第 2 行起。")
    # mapping None: a ledger exported by `ledger --xlsx`, or headers named as the fields are
    path, count, mapping = importing.opened(path, mapping, FIELDS, unknown_format="不是本系统导出的台账格式",
                                            example="申请人=applicant,申请日期=submitted")
    run = _start(office, path, actor, again, from_line)
    report = ImportReport(run=run)
    writer = _Writer(office, actor)
    with session_scope(office.engine) as session:
        refs = set(session.execute(select(Request.ref).where(Request.ref.is_not(None))).scalars())
    checker = _Checker(office, refs)
    try:
        with stoppable(), background(checker.chunks, path, mapping, from_line, process=in_background) as chunks, \
                bulk_connection(office.engine) as connection:
            # BATCH rows per transaction: chunks are grouped as they arrive, so the first is
            # stored while the next is being checked
            for _, transaction in itertools.groupby(chunks, key=lambda chunk: (chunk.read - 1) // BATCH):
                with deferred_interrupt(), session_scope(connection) as session:
                    stored = refused = 0
                    for chunk in transaction:
                        ids, replay_errors = writer.write(session, chunk)
                        report.errors += sorted(chunk.errors + replay_errors)
                        report.imported += ids
                        stored, refused = stored + len(ids), refused + len(chunk.errors) + len(replay_errors)
                    _advance(session, run, stored, refused, chunk.line)
                if progress is not None:
                    progress(chunk.read, max(chunk.read, count - 1))
        if chunk.unreadable:
            raise GongkaiError(chunk.unreadable)
        with office.session() as session:
            session.get(LedgerImport, run).finished = True
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM, between two transactions
        raise GongkaiError(f"导入已中断。{_so_far(office, run)}。") from None
    except GongkaiError as exc:
        raise GongkaiError(f"{exc} 导入已停止。{_so_far(office, run)}。") from None
    return report


def _start(office: Any, path: Path, actor: str, again: bool, from_line: int) -> int:
    """The run's LedgerImport row (committed); refused if the file was imported before."""
    from sqlmodel import select

    sha256 = importing.file_sha256(path)
    with office.session() as session:
        last = session.exec(select(LedgerImport).where(LedgerImport.sha256 == sha256)
                            .order_by(LedgerImport.id.desc())).first()  # type: ignore[union-attr]
        if last is not None and not again and not (not last.finished and from_line == last.last_line + 1):
            when = last.started_at.date().isoformat()
            if last.finished:
                message = (f"文件 {path.name} 已于 {when} 导入过（内容相同，第 {last.first_line} 至 {last.last_line} 行，"
                           f"保存 {last.stored:,} 件），为免重复登记，本次未导入任何行。确需再次导入，请加 --again。")
            else:
                message = (f"文件 {path.name} 已于 {when} 导入过一部分（第 {last.first_line} 至 {last.last_line} 行，"
                           f"保存 {last.stored:,} 件，随后中断）。继续导入其余的行请加 --from-line {last.last_line + 1}；"
                           "确需从头再次导入，请加 --again。")
            raise GongkaiError(message)
        run = LedgerImport(sha256=sha256, file_name=path.name[:300], started_at=dt.datetime.now(dt.timezone.utc),
                           actor=actor, first_line=from_line, last_line=from_line - 1)
        session.add(run)
        session.flush()
        return run.id


def _advance(session: Any, run: int, stored: int, refused: int, line: int) -> None:
    """Move the run's record past a batch, in the batch's transaction: what it says is
    committed exactly when the batch is."""
    from sqlalchemy import update

    c = LedgerImport.__table__.c
    moved = {"last_line": line} if line else {}  # line 0: a file with no rows
    session.execute(update(LedgerImport.__table__).where(c.id == run).values(
        stored=c.stored + stored, rejected=c.rejected + refused, **moved))


def _so_far(office: Any, run: int) -> str:
    """Exactly what the run stored, read back from the database."""
    with office.session() as session:
        return stored_so_far(session.get(LedgerImport, run))
