"""Email from gongkai: the SMTP settings of ``gongkai.toml`` and one way to send a message.

The applicant's receipt and tracking code (the public form), and each account's reminders
(``gongkai digest --email``) go out through ``smtp.send``.
"""
