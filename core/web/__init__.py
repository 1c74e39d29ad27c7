"""The staff web application (``gongkai serve``): a Starlette ASGI app over the same core as the CLI.

Views parse a form, ask the one permission function (:mod:`gongkai.core.accounts.permissions`),
call the core function the CLI calls, and render a Jinja2 template that extends ``base.html``.
Every form works without JavaScript; htmx (vendored in ``static/``) only enhances.
"""
