"""The ministerial briefing as a use-case: gather partners, visits, programmes; make the PDF.

Reads in the services' own sessions on the calling thread; no personal data is involved.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migdesk.documents.briefing import BriefingData
    from migdesk.services.app import Migdesk


class BriefingService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    def data(self) -> BriefingData:
        from migdesk.documents.briefing import DEFAULT_INSTITUTION, BriefingData

        return BriefingData(
            today=self.app.today(), partners=self.app.partners.list(),
            visits=self.app.visits.list(), programs=self.app.programs.list(),
            institution=self.app.setting("institution_name") or DEFAULT_INSTITUTION,
            desk_name=self.app.desk.name)

    def render(self) -> bytes:
        from migdesk.documents import briefing, fonts

        fonts.register(self.app.setting("font_path"))
        return briefing.render(self.data(), author=self.app.desk.name)

    def save(self, path: str | os.PathLike[str]) -> Path:
        from migdesk.services.dossiers import _write

        out = Path(path)
        _write(out, self.render())
        return out
