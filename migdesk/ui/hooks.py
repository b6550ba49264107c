"""Where the documents (dossier PDFs) and sync (export/import) engineers plug into the window.

A hook is a callable `(app, candidate_ids, progress) -> str` run on a worker thread; it
returns a short user message. It is None when the service cannot be imported, and the
window then disables the action with a tooltip.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

Hook = Callable[..., Any]

# (module, attribute) that each action calls, filled by the documents and sync engineers.
PRINT_DOSSIER = ("migdesk.services.dossiers", "print_for_window")
EXPORT_CHANGES = ("migdesk.services.sync_window", "export_for_window")
IMPORT_CHANGES = ("migdesk.services.sync_window", "import_for_window")


def find(spec: tuple[str, str]) -> Hook | None:
    module, attr = spec
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    fn = getattr(mod, attr, None)
    return fn if callable(fn) else None
