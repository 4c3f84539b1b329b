"""Files the project writes for people to open in a spreadsheet (`tables.py`)."""

from core.files.tables import Cell, neutralise, table_writer, write_table

__all__ = ["Cell", "neutralise", "table_writer", "write_table"]
