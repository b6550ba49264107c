"""migdesk: the desk application for Georgia's circular labour-migration officers."""

__version__ = "0.1.0"
