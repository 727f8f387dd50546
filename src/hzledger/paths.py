"""How paths are shown to users: as they know them, relative to where they stand."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: str | Path | None) -> str | None:
    """Relative to the current directory when inside it; Beancount's `<load>` etc. as is."""
    if path is None:
        return None
    text = str(path)
    if text.startswith("<"):
        return text
    try:
        rel = os.path.relpath(text)
    except ValueError:
        return text
    return text if rel.startswith("..") else rel
