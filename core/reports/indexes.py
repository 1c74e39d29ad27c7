"""Indexes the annual report's aggregation needs on a ledger of a million requests.

Declared here, next to the queries they serve, and created with the tables
(``storage.MODEL_MODULES``). Both are covering indexes: SQLite answers each GROUP BY
of :mod:`gongkai.core.reports.annual` from the index alone, without touching the rows.
"""

from sqlalchemy import Index

from gongkai.core.requests.models import Request

# new / carried over / carried forward: received <= 31 Dec, not answered before 1 Jan
REQUEST_FLOWS = Index(
    "ix_request_report_flows",
    Request.__table__.c.received,
    Request.__table__.c.replied_on,
    Request.__table__.c.applicant_type,
)
# this year's outcomes: replied_on in the year, grouped by applicant type and outcome
REQUEST_RESULTS = Index(
    "ix_request_report_results",
    Request.__table__.c.replied_on,
    Request.__table__.c.applicant_type,
    Request.__table__.c.outcome,
)
