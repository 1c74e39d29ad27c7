"""gongkai (公开, "disclosure"): government-information-disclosure workflows.

Plugin authors import the marker from the package root, as in datasette::

    from gongkai import hookimpl
"""

__all__ = ["hookimpl", "__version__"]
__version__ = "0.1.0"


def __getattr__(name: str):  # noqa: ANN202  # no `typing` import here either
    # Loaded on first use: the `gongkai` entry point imports this package on every command
    # and should not pay for pluggy when the preloader runs the command.
    if name == "hookimpl":
        from gongkai.hookspecs import hookimpl

        return hookimpl
    raise AttributeError(f"module 'gongkai' has no attribute {name!r}")
