from django.core.management.base import BaseCommand
from django.db import transaction

from signatures import privacy
from signatures.models import Signature


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored email with the first key of EMAIL_ENCRYPTION_KEYS, so older "
        "keys can then be removed from the setting."
    )

    def handle(self, **options):
        rotated = 0
        rows = Signature.objects.exclude(email_encrypted="").values_list("pk", "email_encrypted")
        for pk, token in rows.iterator(chunk_size=2000):
            with transaction.atomic():
                Signature.objects.filter(pk=pk, email_encrypted=token).update(
                    email_encrypted=privacy.rotate(token)
                )
            rotated += 1
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {rotated} email addresses."))
