"""Callback data, one module per area: ids and short codes only (64 bytes at most), never names.

A modified client can send any data: integer fields are bounded (`Id`, `PageNo`), so a number no
column holds is no match for the filter (the stale-button answer), never a database error.
"""

from typing import Annotated

from pydantic import Field

INT32_MAX = 2**31 - 1  # the largest id a database integer column holds (PostgreSQL `integer`)
Id = Annotated[int, Field(ge=0, le=INT32_MAX)]
PageNo = Annotated[int, Field(ge=0, le=INT32_MAX)]
