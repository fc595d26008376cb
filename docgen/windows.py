"""Windows' kernel32 through ctypes, for its console's Ctrl-C and its interface's language."""

from __future__ import annotations

import sys
from typing import Any


def kernel32() -> Any:
    """Windows' kernel32; None elsewhere, or where it cannot be loaded."""
    if sys.platform != "win32":
        return None
    import ctypes

    try:
        return ctypes.WinDLL("kernel32")
    except (AttributeError, OSError):
        return None
