"""Errors that reach staff. Messages are in Chinese and say what was wrong and how to fix it."""


class GongkaiError(Exception):
    """A user error: bad input or configuration. The CLI prints the message and exits 1."""

    exit_code = 1


class StepRefused(GongkaiError):
    """A workflow step that the rules forbid. The message names the rule or step that blocks it."""

    exit_code = 3


class PluginError(GongkaiError):
    """A plugin broke its contract. The message names the plugin and the hook."""

    exit_code = 4


class NotFound(GongkaiError):
    """No such record in this unit (the web app answers 404)."""
