"""What the comparison downloads may contain."""

# A spreadsheet treats a cell starting with one of these as a formula (=HYPERLINK(...) can leak
# data or run commands); tab and carriage return can hide one. OWASP's rule for CSV injection:
# prefix such a cell with an apostrophe, which shows the text as it is and runs nothing.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """The cell as text a spreadsheet will show, never evaluate."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def spreadsheet_safe_row(row: dict[str, str]) -> dict[str, str]:
    return {name: spreadsheet_safe(str(value)) for name, value in row.items()}
