"""Filing an online application as the public form does (core functions, real database)."""

from __future__ import annotations

from gongkai.core.app import App

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = {"applicant": "张三", "applicant_type": "natural_person", "id_type": "居民身份证",
        "id_number": "110101199003074514", "contact": "13812345678", "email": "zhangsan@example.com",
        "subject": "2026年老旧小区改造资金安排", "form_wanted": "电子邮件"}


def file_online(form: dict | None = None, scan: bytes = PDF) -> tuple[int, str]:
    """File an application with an ID scan; (its id, its 查询码)."""
    import io

    from gongkai.core.attachments import store
    from gongkai.core.records.storage import record_event
    from gongkai.core.requests import online
    from gongkai.core.today import today

    app = App()
    try:
        with app.session() as session:
            row, code = online.submit(session, app, online.fields(app, {**FORM, **(form or {})}))
            att = store.store(session, io.BytesIO(scan), owner_kind=online.KIND, owner_id=row.id, kind="application",
                              file_name="身份证.pdf", limit=store.max_bytes(app.config), on=today(), actor=online.PUBLIC_ACTOR)
            record_event(session, subject_kind=online.KIND, subject_id=row.id, action="attach", actor=online.PUBLIC_ACTOR,
                         after=store.logged(att))
            return row.id, code
    finally:
        app.engine.dispose()
