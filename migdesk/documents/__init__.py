"""Georgian PDF documents (dossier, briefing) drawn with reportlab; no Qt, no database."""
