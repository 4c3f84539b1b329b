"""Files the project writes for people to open in a spreadsheet (`tables.py`)."""

from core.files.tables import (
    FIXED,
    RUSSIAN,
    Cell,
    CsvStyle,
    csv_style,
    neutralise,
    table_writer,
    write_table,
    write_table_off_loop,
)

__all__ = [
    "FIXED",
    "RUSSIAN",
    "Cell",
    "CsvStyle",
    "csv_style",
    "neutralise",
    "table_writer",
    "write_table",
    "write_table_off_loop",
]
