"""Requests for disclosure (依申请公开): intake, clock, review, reply, appeals (and the unit's answer
and evidence when an applicant appeals: appeal_answer, evidence), ledger."""
