"""Where gongkai keeps what it can rebuild (the compiled calendar, the preloader's socket).

Imports only ``os``: the ``gongkai`` entry point asks on every command.
"""

from __future__ import annotations

import os


def cache_dir() -> str:
    """``GONGKAI_CACHE_DIR``, else ``$XDG_CACHE_HOME/gongkai``, else ``~/.cache/gongkai``."""
    return os.environ.get("GONGKAI_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "gongkai")
