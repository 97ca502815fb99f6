"""The content command: the real petition on a fresh database, loaded idempotently."""

import json

import pytest
from django.core.management import CommandError, call_command

from petitions.models import Addressee, Demand, Harm, Petition, Reason


def _counts():
    return [m.objects.count() for m in (Petition, Addressee, Harm, Reason, Demand)]


def test_it_loads_the_whole_campaign_in_both_languages(db):
    call_command("load_petition", verbosity=0)

    petition = Petition.objects.get()
    assert _counts() == [1, 2, 5, 10, 3]
    assert petition.status == Petition.Status.OPEN
    assert petition.is_featured
    assert petition.title_en == "Stop the criminalization of sex work in Kyrgyzstan"
    assert petition.title_ru == "Остановить криминализацию секс-работы в Кыргызстане"
    assert all(reason.text_ru for reason in petition.reasons.all())


def test_running_it_twice_stores_nothing_twice(db):
    call_command("load_petition", verbosity=0)
    call_command("load_petition", verbosity=0)

    assert _counts() == [1, 2, 5, 10, 3]


def test_keep_existing_leaves_organizers_edits_alone(db):
    call_command("load_petition", verbosity=0)
    Petition.objects.update(title_en="Edited in admin")

    call_command("load_petition", "--keep-existing", verbosity=0)

    assert Petition.objects.get().title_en == "Edited in admin"


def test_a_broken_file_is_a_clear_error(db, tmp_path):
    broken = tmp_path / "petition.json"
    broken.write_text("{not json")

    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_petition", str(broken), verbosity=0)
    assert _counts() == [0, 0, 0, 0, 0]


def test_another_campaign_loads_from_its_own_file(db, tmp_path):
    campaign = {
        "slug": "clean-water",
        "status": "open",
        "fields": {"title": {"en": "Clean water", "ru": "Чистая вода"}},
        "demands": [{"en": "Fix the pipes", "ru": "Почините трубы"}],
    }
    path = tmp_path / "water.json"
    path.write_text(json.dumps(campaign))

    call_command("load_petition", str(path), verbosity=0)

    petition = Petition.objects.get(slug="clean-water")
    assert petition.title_ru == "Чистая вода"
    assert [d.text_en for d in petition.demands.all()] == ["Fix the pipes"]
