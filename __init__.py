"""gongkai (公开, "disclosure"): government-information-disclosure workflows.

Plugin authors import the marker from the package root, as in datasette::

    from gongkai import hookimpl
"""

from gongkai.hookspecs import hookimpl

__all__ = ["hookimpl", "__version__"]
__version__ = "0.1.0"
