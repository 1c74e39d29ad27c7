"""Messages in the web's own words: what a domain error says, less the command line's.

Core's refusals are written for both interfaces and often say how to go on at a terminal
(“请用 `gongkai request review 1 --step 律师审核` 办理”, “（--state）”, a code such as
``reconsideration（行政复议）``). On a page the person has the forms in front of them: the
clauses naming a command or an option are taken out, a code beside its Chinese name leaves
only the name, and the page says where the form is instead.
"""

from __future__ import annotations

import re

# a command, an option or a code: what a person at a browser cannot type anywhere
_CLI = re.compile(r"`|gongkai\s|(?<![\w-])--[a-z]|(?<![A-Za-z0-9_.])[a-z]+(?:[._][a-z]+)+(?![A-Za-z0-9_])")
# what is quoted (“…”) is what the person typed or chose: shown as it is
_QUOTED = re.compile(r"“[^”]*”")
# （…） or (…) holding one of them, e.g. “（--state）”, “（other.unpaid_fee）”
_BRACKETED = re.compile(r"[（(][^（()）]*[）)]")
# a code right before its Chinese name: reconsideration（行政复议） -> 行政复议
_CODE_NAMED = re.compile(r"(?<![A-Za-z0-9_.“])[a-z][a-z_.]*[a-z]（([^（）]+)）")
_CLAUSES = re.compile(r"([^。；;！？]*[。；;！？]?)")
HINT = "请在本页的办理栏中办理。"


def _cli(text: str) -> bool:
    return bool(_CLI.search(_QUOTED.sub("", text)))


def for_people(message: str | None, hint: str = HINT) -> str | None:
    """``message`` as the web shows it (None stays None); ``hint`` replaces what was taken out."""
    if not message:
        return message
    text = _CODE_NAMED.sub(r"\1", str(message))
    text = _BRACKETED.sub(lambda m: "" if _cli(m.group(0)) else m.group(0), text)
    kept, dropped = [], False
    for clause in _CLAUSES.findall(text):
        if not clause:
            continue
        if _cli(clause):
            # keep what comes before a colon or comma that introduces the command (“答复前须先完成…：请用 …”)
            head = re.split(r"[：:，,]\s*(?=[^：:，,]*(?:`|gongkai\s|--[a-z]))", clause, maxsplit=1)[0]
            if head != clause and not _cli(head) and head.strip():
                kept.append(head.rstrip("，,：: ") + "。")
            dropped = True
            continue
        kept.append(clause)
    out = "".join(kept).strip()
    if dropped and hint and hint not in out:
        out = f"{out}{hint}" if out else hint
    return out.replace("。。", "。") or FALLBACK


FALLBACK = "无法办理：所填内容或当前状态不允许此操作，请检查后重试。"
