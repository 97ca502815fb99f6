import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from petitions.models import Addressee, Demand, Harm, Petition, Reason

DEFAULT_FILE = Path(settings.BASE_DIR) / "petitions" / "content" / "stop-criminalization-kg.json"
PARTS = {"addressees": Addressee, "harms": Harm, "reasons": Reason, "demands": Demand}


def _translated(values):
    """{"en": "...", "ru": "..."} -> {"field_en": ..., "field_ru": ...} for configured languages."""
    languages = {code for code, _name in settings.LANGUAGES}
    return {code: text for code, text in values.items() if code in languages}


class Command(BaseCommand):
    help = (
        "Create or update a petition, with its text in every language, from a JSON file. "
        "Running it again changes nothing unless the file changed; with --keep-existing it "
        "leaves a petition that already exists alone, so organizers' admin edits survive."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_FILE))
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="Do nothing if a petition with this slug already exists.",
        )

    @transaction.atomic
    def handle(self, path, keep_existing, **options):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error

        slug = data["slug"]
        if keep_existing and Petition.objects.filter(slug=slug).exists():
            self.stdout.write(f"Petition {slug!r} exists; left as it is.")
            return

        defaults = {
            "status": data.get("status", Petition.Status.DRAFT),
            "goal": data.get("goal", 1000),
            "is_featured": data.get("featured", False),
        }
        for field, values in data["fields"].items():
            for code, text in _translated(values).items():
                defaults[f"{field}_{code}"] = text
        if defaults["is_featured"]:
            Petition.objects.filter(is_featured=True).exclude(slug=slug).update(is_featured=False)
        petition, created = Petition.objects.update_or_create(slug=slug, defaults=defaults)

        for key, model in PARTS.items():
            model.objects.filter(petition=petition).delete()
            model.objects.bulk_create(
                model(
                    petition=petition,
                    position=position,
                    **{f"text_{code}": text for code, text in _translated(values).items()},
                )
                for position, values in enumerate(data.get(key, []), start=1)
            )
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} petition {slug!r}."))
