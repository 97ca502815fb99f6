from django.core.management.base import BaseCommand

from signatures.anonymise import anonymise_due, due_petitions
from signatures.tasks import schedule_anonymisation


class Command(BaseCommand):
    help = (
        "Erase names, emails and hashes of signatures on petitions that ended more than "
        "ANONYMISE_AFTER_DAYS ago, keeping counts and per-region totals. --schedule instead "
        "queues the daily background run (the container's migrate step does this)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what is due only.")
        parser.add_argument("--schedule", action="store_true", help="Queue the daily run.")

    def handle(self, dry_run, schedule, **options):
        if schedule:
            queued = schedule_anonymisation()
            self.stdout.write("Daily anonymisation queued." if queued else "Already queued.")
            return
        if dry_run:
            for petition in due_petitions():
                self.stdout.write(f"Due: {petition.slug}")
            return
        for petition, erased in anonymise_due().items():
            self.stdout.write(f"{petition.slug}: {erased} signatures anonymised.")
