"""Requests for disclosure (依申请公开): intake, clock, review, reply, appeals, ledger."""
