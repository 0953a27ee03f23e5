"""How much memory this computer has, so that a size it cannot hold (``units=10**11``, a
dataset of 10^10 points) is refused with a clear error before anything is allocated."""

from __future__ import annotations

import os


def physical() -> int | None:
    """The computer's memory in bytes, or ``None`` where the system does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def fits(needed: int) -> bool:
    """Whether ``needed`` bytes can be held at all (not whether they are free now)."""
    total = physical()
    return total is None or needed <= total


def readable(count: int) -> str:
    """``count`` bytes as a person reads them: ``9.46 TiB``."""
    size = float(count)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if size < 1024 or unit == "PiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.2f} {unit}"
        size /= 1024
    return ""
