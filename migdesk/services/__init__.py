"""The one API of use-cases, shared by the window, the command line and the central store.

Services take plain values, validate them, write through one unit of work per call and
return plain dataclasses (never ORM rows).
"""

from migdesk.services.app import Migdesk

__all__ = ["Migdesk"]
