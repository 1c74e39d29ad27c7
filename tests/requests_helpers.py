"""Helpers shared by the request tests."""

from __future__ import annotations

import datetime as dt

JURISDICTIONS = ("xixian", "yanta", "changning", "wuyuan")
D = dt.date.fromisoformat


def new_request(gk, channel="in_person", submitted="2026-03-02", confirmed=None, applicant="张三",
                applicant_type="natural_person", subject="2026年老旧小区改造资金安排", extra=()):
    args = ["request", "new", "--applicant", applicant, "--applicant-type", applicant_type,
            "--channel", channel, "--submitted", submitted, "--subject", subject, *extra]
    if confirmed:
        args += ["--confirmed", confirmed]
    return gk.json(*args)


def approve_chain(gk, request_id, chain_steps, on="2026-03-10", outcome="disclosed", proposal=()):
    """Approve every listed step with a different person each; the first signs the proposed
    reply (``outcome`` and ``proposal``'s options, e.g. ``("--withheld", "电话：个人隐私")``)."""
    for i, step in enumerate(chain_steps):
        args = ["request", "review", str(request_id), "--step", step, "--by", f"审核人{i}", "--decision", "approve",
                "--on", on]
        if i == 0 and outcome:
            args += ["--outcome", outcome, *proposal]
        gk.ok(*args)


def approve_correction(gk, request_id, outcome, on="2026-03-19"):
    """Sign a corrected reply's review chain again (request amend needs it), with different people."""
    approve_chain(gk, request_id, before_steps(gk, request_id), on=on, outcome=outcome)


def before_steps(gk, request_id):
    return [s["id"] for s in gk.json("request", "show", str(request_id))["review_steps"] if s["stage"] == "before"]


class LoggedIn:
    """``gk`` as the people at the terminal: before a command naming ``--by X`` (an account),
    X logs in (``gongkai login``, in the command's ``--unit``), as the command line requires once
    a unit has accounts."""

    def __init__(self, gk, password: str) -> None:
        self.gk = gk
        self.password = password

    def _login(self, args) -> None:
        if "--by" in args:
            unit = list(args[:2]) if args and args[0] == "--unit" else []
            self.gk(*unit, "login", args[args.index("--by") + 1], "--password-stdin", input=self.password + "\n")

    def __call__(self, *args, input=None):
        self._login(args)
        return self.gk(*args, input=input)

    def ok(self, *args, input=None):
        self._login(args)
        return self.gk.ok(*args, input=input)

    def json(self, *args):
        self._login(args)
        return self.gk.json(*args)

    def fails(self, *args, code=None):
        self._login(args)
        return self.gk.fails(*args, code=code)
