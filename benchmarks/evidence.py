"""The evidence bundle of one appealed request (``gongkai appeal evidence``): 12 items, five printed
from .docx (the application as registered, the receipt, the approval form, the reply letter, the
timeline) and seven stored PDFs (scans, as the attachments will add them), against the same .docx
items printed with one LibreOffice start each, in the same run."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from benchmarks import synthetic
from benchmarks.common import Figure, verdict

TARGET = 10.0  # seconds
SCANS = 7


def _scan(n: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=24)
    pdf.cell(0, 20, f"scan {n}")
    return bytes(pdf.output())


def run() -> list[Figure]:
    from gongkai.core.app import App
    from gongkai.core.paperwork import pdf as printing
    from gongkai.core.paperwork import word
    from gongkai.core.requests import appeals, evidence, intake, reply, review, workflow

    with synthetic.workdir() as tmp:
        (tmp / "gongkai.toml").write_text('jurisdiction = "yanta"\nunit = "基准测试单位"\n'
                                          'reconsideration_body = "基准测试区人民政府"\ndatabase_url = "sqlite:///gongkai.db"\n',
                                          encoding="utf-8")
        app = App(config_path=str(tmp / "gongkai.toml"), database_url=f"sqlite:///{tmp / 'gongkai.db'}")
        with app.session() as session:
            req = intake.receive(session, app, applicant="李四", applicant_type="natural_person", channel="in_person",
                                 submitted=dt.date(2025, 8, 1), subject="某路段拓宽工程的立项批复")
            proposal = {"outcome": "disclosed", "reasons": ""}
            for i, step in enumerate(review.required_steps(app.registry, "disclosed", "before")):
                review.review(session, app, req, step.id, f"审核人{i}", "approve", on=dt.date(2025, 8, 12), proposal=proposal)
            reply.reply(session, app, req, outcome="disclosed", on=dt.date(2025, 8, 13), provision="电子邮件发送")
            appeals.record_appeal(session, app, req, "reconsideration", dt.date(2025, 9, 22),
                                  copy_received=dt.date(2025, 9, 26))
            rid = req.id
        scans = [_scan(n) for n in range(SCANS)]

        def stored(session, office, request, appeal, upto):
            return [evidence.Item(f"scan.{n}", f"申请材料扫描件{n + 1}", "申请人", dt.date(2025, 8, 1), "证明申请材料",
                                  pdf=data) for n, data in enumerate(scans)]

        starts = []
        convert = printing.convert

        def counted(sources, out_dir, fonts=None):
            began = time.perf_counter()
            try:
                return convert(sources, out_dir, fonts)
            finally:
                starts.append(time.perf_counter() - began)

        evidence.provide("application", stored)
        printing.convert = counted
        try:
            with app.session() as session:
                began = time.perf_counter()
                manifest = evidence.build(session, app, workflow.load(session, str(rid)), None, str(tmp / "证据.pdf"))
                took = time.perf_counter() - began
                items = evidence.items(session, app, workflow.load(session, str(rid)), appeals.pick(session, workflow.load(session, str(rid))), 10**9)
        finally:
            printing.convert = convert
            evidence.PROVIDERS["application"].remove(stored)
        docx = [i for i in items if i.pdf is None]
        # the baseline: the same .docx items, one LibreOffice start each
        with tempfile.TemporaryDirectory(prefix="gongkai-bench-docx-") as folder:
            paths = [word.write_docx(i.text, Path(folder) / f"{n}.docx", i.name) for n, i in enumerate(docx)]
            began = time.perf_counter()
            for path in paths:
                convert([path], Path(folder) / "one")
            single = time.perf_counter() - began
        app.engine.dispose()
    assert len(manifest["items"]) == len(docx) + SCANS and len(starts) == 1
    return [Figure(
        f"evidence bundle of {len(manifest['items'])} items (appeal evidence)", f"{took:.2f} s",
        f"each .docx item printed by its own LibreOffice start: {single:.2f} s", f"{single / took:.1f}×",
        f"target under {TARGET:.0f} s ({verdict(took < TARGET, True)}); {len(docx)} items from .docx printed in "
        f"{len(starts)} LibreOffice start ({starts[0]:.2f} s of it; one start alone takes {single / len(docx):.2f} s here), "
        f"{SCANS} stored PDFs; {manifest['pages']} pages numbered through, "
        f"catalogue drawn with fpdf2, manifest embedded",
    )]
