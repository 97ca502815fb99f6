from django.core.management.base import BaseCommand

from signatures.counting import rebuild


class Command(BaseCommand):
    help = (
        "Recount every figure the site shows (the public count, regions, statistics) from the "
        "signatures themselves. Safe while people sign; needed only if the counts table was "
        "changed by hand, or after TIME_ZONE changed (the per-day figures use its days)."
    )

    def handle(self, **options):
        rebuild()
        self.stdout.write("Signatures recounted.")
