"""One rule for what a spreadsheet runs as a formula: the forms refuse it, the export defuses it."""

import pytest

from signatures.export import safe_cell
from signatures.forms import CommentForm, SignatureForm
from signatures.spreadsheet import FORMULA_START

PRINTABLE_STARTS = [start for start in FORMULA_START if start.isprintable()]


@pytest.mark.parametrize("start", PRINTABLE_STARTS)
def test_both_forms_refuse_a_name_that_starts_like_a_formula(start, petition):
    name = f"{start}SUM(A1)"
    signature = SignatureForm({"name": name})
    comment = CommentForm({"author_name": name}, petition=petition)

    assert not signature.is_valid()
    assert signature.has_error("name", code="formula")
    assert not comment.is_valid()
    assert comment.has_error("author_name", code="formula")


@pytest.mark.parametrize("start", FORMULA_START)
def test_the_export_defuses_every_start_the_rule_names(start):
    assert safe_cell(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


def test_the_export_leaves_ordinary_names_alone():
    assert safe_cell("Aigul M.") == "Aigul M."
    assert safe_cell(None) == ""
