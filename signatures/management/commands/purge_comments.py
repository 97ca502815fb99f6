from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from signatures.models import Comment


class Command(BaseCommand):
    help = (
        "Delete spam and removed comments decided more than DAYS days ago. Nothing else is "
        "ever deleted, and a comment whose thread still has replies that stay is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")

    def handle(self, **options):
        days = options["older_than"]
        if days < 0:
            raise CommandError("--older-than must be 0 or more days.")
        doomed = Comment.objects.purgeable(before=timezone.now() - timedelta(days=days))
        kept_reply = Comment.objects.filter(parent=OuterRef("pk")).exclude(pk__in=doomed)
        deleted, _by_model = doomed.exclude(Exists(kept_reply)).delete()
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} spam or removed comments."))
