"""Spreadsheets in: reading XLSX/ODS/CSV files (read), guessing which column is which field
(columns) and turning cells into the form's values (cells). No Qt, no database."""
