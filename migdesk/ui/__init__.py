"""The PySide6 desk window: the only package of migdesk that imports Qt."""
