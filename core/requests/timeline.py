"""A request's timeline as people read it: each event named in Chinese, with its step, decision,
comment, who (by name) and when (Beijing time). Read from the event log (``ledger.show``'s
``events``); the request page and ``request show`` print it."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session


def entries(session: Session, office: Any, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per event: ``at`` (Beijing), ``who``, ``what``, ``detail`` (decision, reason,
    dates), ``comment`` (the reviewer's or a note; shown as typed)."""
    from gongkai.core.labels import labels
    from gongkai.core.requests.assignment import names
    from gongkai.core.requests.clock import PAUSE_REASONS
    from gongkai.core.requests.review import DECISIONS, chain

    named = {**labels("event"), "import": "从台账导入", "propose": "拟定答复结果", "receive": "登记收到申请",
             "reveal": "查看完整证件号码和电话"}
    steps = {s.id: s.name for s in chain(office.registry).steps}
    people = names(session, {e["actor"] for e in events if e["actor"]}
                   | {(e["after"] or {}).get("assignee") for e in events if (e["after"] or {}).get("assignee")})
    outcomes = office.registry.outcomes
    out = []
    for e in events:
        after, before = e["after"] or {}, e["before"] or {}
        action = e["action"]
        what, detail, comment = named.get(action, "其他记录"), [], ""
        if action == "review":
            what = f"审核：{steps.get(after.get('step'), after.get('step_name') or '')}"
            detail.append(DECISIONS.get(after.get("decision"), ""))
            if (after.get("proposal") or {}).get("outcome") in outcomes:
                detail.append(f"拟答复：{outcomes[after['proposal']['outcome']].name}")
            comment = after.get("comment") or ""
        elif action == "comment":
            what = f"审核意见：{steps[after['step']]}" if after.get("step") in steps else "办理意见"
            comment = after.get("comment") or ""
        elif action == "assign":
            to = people.get(after.get("assignee"), after.get("assignee"))
            was = before.get("assignee")
            detail.append(f"改派给 {to}（原承办人 {people.get(was, was)}）" if was else f"承办人：{to}")
            comment = after.get("reason") or ""
        elif action == "receive" and after.get("assignee"):
            detail.append(f"按本单位规则分办给 {people.get(after['assignee'], after['assignee'])}")
        elif action in ("reply", "amend") and after.get("outcome") in outcomes:
            detail.append(outcomes[after["outcome"]].name)
        elif action in ("pause", "resume") and after.get("reason") in PAUSE_REASONS:
            detail.append(PAUSE_REASONS[after["reason"]][0])
        elif action == "notice":
            detail += [after.get("title", ""), f"文号 {after['number']}" if after.get("number") else "",
                       (after.get("format") or "").upper()]
        elif action == "attach" and after.get("attachment"):
            from gongkai.core.attachments.store import KINDS

            file = after["attachment"]
            detail.append(f"{KINDS[file['kind']].label if file.get('kind') in KINDS else '附件'}：{file.get('file_name', '')}")
        elif action == "mail_failed":
            detail.append(f"收件人 {people.get(after.get('to'), after.get('to', ''))}：{after.get('error', '')}")
        if after.get("on") and action not in ("mail_failed",):
            detail.append(f"日期 {after['on']}")
        out.append({"at": e["at_beijing"], "who": people.get(e["actor"], e["actor"]) if e["actor"] else "",
                    "what": what, "detail": "；".join(d for d in detail if d), "comment": comment,
                    "action": action})
    return out
