"""The benches' seed (bench/seed.py) keeps up with the model: a NOT NULL column it misses
would stop every bench at its first INSERT, as one added for paper signatures once did."""

from django.db import connection
from django.db.models import NOT_PROVIDED

from bench.seed import DEFAULTS, insert_signatures
from signatures.models import Signature


def test_the_seed_gives_every_required_column_a_value():
    required = {
        field.column
        for field in Signature._meta.concrete_fields
        if not field.null and not field.primary_key and field.db_default is NOT_PROVIDED
    }

    assert required <= DEFAULTS.keys(), required - DEFAULTS.keys()


def test_the_seeded_rows_are_confirmed_signatures_of_the_petition(petition):
    with connection.cursor() as cursor:
        insert_signatures(cursor, petition.pk, 1, 3, {"lang": "en"}, language="%(lang)s")

    rows = Signature.objects.filter(petition=petition)
    assert rows.count() == 3
    assert set(rows.values_list("status", "language", "source")) == {("confirmed", "en", "online")}
