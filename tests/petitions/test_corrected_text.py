"""A database that loaded the first campaign text gets the corrected one; organizers' edits stay."""

import importlib
import json

from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from petitions.models import Harm, Petition

migration = importlib.import_module("petitions.migrations.0005_corrected_campaign_text")
CONTENT = settings.BASE_DIR / "petitions" / "content" / "stop-criminalization-kg.json"


def _shipped_text():
    """The petition as the first campaign file loaded it."""
    call_command("load_petition", verbosity=0)
    for model_name, field, old, _new in migration.CORRECTIONS:
        apps.get_model("petitions", model_name).objects.filter(
            **{field: _corrected(model_name, field)}
        ).update(**{field: old})


def _corrected(model_name, field):
    return next(
        new for name, f, _old, new in migration.CORRECTIONS if (name, f) == (model_name, field)
    )


def test_the_shipped_text_is_replaced_by_the_corrected_one(db):
    _shipped_text()
    assert "путём введения" in Petition.objects.get().lead_ru

    migration.correct(apps, None)

    petition = Petition.objects.get()
    assert "не допустить криминализации секс-работы" in petition.lead_ru
    assert "not to criminalize sex work" in petition.lead_en
    assert "подавать заявления в полицию" in Harm.objects.get(position=5).text_ru
    call_command("load_petition", verbosity=0)
    assert Petition.objects.get().lead_ru == petition.lead_ru


def test_a_text_organizers_edited_in_admin_is_left_alone(db):
    _shipped_text()
    Petition.objects.update(lead_ru="Текст, исправленный организаторами.")

    migration.correct(apps, None)

    petition = Petition.objects.get()
    assert petition.lead_ru == "Текст, исправленный организаторами."
    assert "Комитета ООН" in petition.quote_intro_ru


def test_paragraphs_saved_through_the_admin_are_corrected_too(db):
    """A browser sends line breaks as CRLF: one save in admin stores the body that way."""
    _shipped_text()
    petition = Petition.objects.get()
    Petition.objects.update(body_ru=petition.body_ru.replace("\n", "\r\n"))

    migration.correct(apps, None)

    assert "на государственную пенсию" in Petition.objects.get().body_ru


def test_reversing_restores_the_shipped_text(db):
    _shipped_text()
    shipped = Petition.objects.get().lead_ru

    migration.correct(apps, None)
    migration.restore(apps, None)

    assert Petition.objects.get().lead_ru == shipped


def test_every_correction_is_what_the_campaign_file_holds(db):
    content = json.loads(CONTENT.read_text(encoding="utf-8"))
    texts = {
        text
        for values in [
            *content["fields"].values(),
            *content["harms"],
            *content["reasons"],
            *content["demands"],
        ]
        for text in values.values()
    }

    assert [new for *_head, new in migration.CORRECTIONS if new not in texts] == []
