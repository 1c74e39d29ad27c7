"""The indexes the annual report's aggregation needs on a ledger of a million requests.

Declared here, next to the query it serves, and created with the tables
(``storage.MODEL_MODULES``). It is a covering index led by the GROUP BY columns of
:func:`gongkai.core.reports.annual.request_table`: SQLite answers the one pass from the index
alone, reading it in group order, so it neither touches the wide rows nor sorts a million
rows into a temporary B-tree (the sort, not the reading, was most of the cost).
"""

from sqlalchemy import Index, literal_column

from gongkai.core.requests.models import Request

REQUEST_REPORT = Index(
    "ix_request_report",
    Request.__table__.c.unit_id,  # one unit's report reads one range of the index
    Request.__table__.c.applicant_type,
    Request.__table__.c.outcome,
    Request.__table__.c.received,
    Request.__table__.c.replied_on,
    Request.__table__.c.track,  # the report counts only the 条例's track: filtered from the index too
)

# The fees collected (section 六): only the few requests that carry a fee, so the district's
# one pass over every unit reads a small index instead of every wide row (partial index, both backends).
FEES_CHARGED = Request.__table__.c.fee_amount > literal_column("0")
REQUEST_FEES = Index(
    "ix_request_fees",
    Request.__table__.c.unit_id,
    Request.__table__.c.replied_on,
    Request.__table__.c.fee_amount,
    Request.__table__.c.outcome,
    sqlite_where=FEES_CHARGED,
    postgresql_where=FEES_CHARGED,
)
