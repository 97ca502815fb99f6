"""What a spreadsheet would run as a formula: one rule for the forms and the CSV export."""

# A cell that starts with one of these is read as a formula by Excel, LibreOffice and
# Google Sheets (tab and carriage return can hide the sign that follows them).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(text):
    return text.startswith(FORMULA_START)
