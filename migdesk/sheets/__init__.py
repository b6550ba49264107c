"""Spreadsheets in and out: reading candidate lists (read.py, columns.py, cells.py) and
writing tables and statistics (write.py, stats.py) for analysts."""
