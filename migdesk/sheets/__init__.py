"""Spreadsheets in and out: reading XLSX/ODS/CSV candidate lists (read), guessing which
column is which field (columns) and turning cells into the form's values (cells); writing
tables (write) and the analysts' statistics (stats). No Qt, no database."""
