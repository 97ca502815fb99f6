from django.conf import settings
from django.db import connections, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.models import Petition

from . import privacy


class Region(models.TextChoices):
    BISHKEK = "bishkek", _("Bishkek")
    OSH_CITY = "osh-city", _("Osh city")
    BATKEN = "batken", _("Batken Region")
    CHUY = "chuy", _("Chüy Region")
    JALAL_ABAD = "jalal-abad", _("Jalal-Abad Region")
    NARYN = "naryn", _("Naryn Region")
    OSH = "osh", _("Osh Region")
    TALAS = "talas", _("Talas Region")
    ISSYK_KUL = "issyk-kul", _("Issyk-Kul Region")
    ABROAD = "abroad", _("Outside Kyrgyzstan")


class SignatureQuerySet(models.QuerySet):
    def counted(self):
        """Signatures that count: confirmed, not flagged, invalidated or withdrawn."""
        return self.filter(status=Signature.Status.CONFIRMED)

    def from_ip_hash_since(self, ip_hash, since):
        return self.filter(ip_hash=ip_hash, created_at__gte=since)

    def erase_personal_data(self, **changes):
        """Blank everything that could identify the signers; status, region and dates stay."""
        return self.update(
            name="",
            email_encrypted="",
            email_hash="",
            email_domain="",
            ip_hash="",
            show_name=False,
            wants_updates=False,
            **changes,
        )

    def insert_unless_signed(self, signature):
        """Insert `signature` unless its email already signed the petition; True if inserted.

        One statement, INSERT ... ON CONFLICT DO NOTHING RETURNING id (PostgreSQL, and SQLite
        for development): the unique constraint decides between concurrent requests, without
        the SELECT and savepoints of get_or_create on the busiest path of the site.
        """
        connection = connections[self.db]
        fields = [field for field in self.model._meta.concrete_fields if not field.primary_key]
        for field in fields:
            field.pre_save(signature, add=True)
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        values = [
            field.get_db_prep_save(getattr(signature, field.attname), connection)
            for field in fields
        ]
        table = connection.ops.quote_name(self.model._meta.db_table)
        placeholders = ", ".join(["%s"] * len(fields))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "
                f"ON CONFLICT DO NOTHING RETURNING {connection.ops.quote_name('id')}",
                values,
            )
            row = cursor.fetchone()
        if row is None:
            return False
        signature.pk = row[0]
        signature._state.adding = False
        signature._state.db = self.db
        return True


class Signature(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        FLAGGED = "flagged", _("Flagged")
        INVALIDATED = "invalidated", _("Invalidated")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("petition")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PENDING)
    name = models.CharField(_("name"), max_length=100, blank=True)
    email_encrypted = models.TextField(
        _("email (encrypted)"), blank=True, help_text=_("Encrypted at rest; erased on withdrawal.")
    )
    email_hash = models.CharField(_("email hash"), max_length=64, blank=True, editable=False)
    region = models.CharField(_("city or region"), max_length=20, choices=Region)
    show_name = models.BooleanField(_("name shown publicly"), default=False)
    wants_updates = models.BooleanField(_("wants updates"), default=False)
    language = models.CharField(_("language"), max_length=10)
    ip_hash = models.CharField(_("IP address hash"), max_length=64, blank=True, editable=False)
    # The domain alone names no one, and shows a bot signing from one provider.
    email_domain = models.CharField(_("email domain"), max_length=255, blank=True)
    invalidation_reason = models.CharField(_("reason for invalidation"), max_length=200, blank=True)
    emails_sent = models.PositiveSmallIntegerField(_("emails sent"), default=0)
    created_at = models.DateTimeField(_("signed"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-created_at"]
        permissions = [("export_emails", _("Can export signers' email addresses"))]
        constraints = [
            # One signature per person and petition, enforced on the keyed hash of the
            # normalised email, so the database needs no plaintext for it.
            # Erased (withdrawn) signatures have no hash, and no longer block signing again.
            models.UniqueConstraint(
                fields=["petition", "email_hash"],
                condition=~Q(email_hash=""),
                name="signature_one_per_email_per_petition",
            ),
            models.CheckConstraint(
                condition=Q(emails_sent__lte=settings.SIGNATURE_MAX_EMAILS),
                name="signature_email_cap",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="signature_confirmed_has_date",
            ),
        ]
        indexes = [
            # The public count: SELECT count(*) ... WHERE petition_id = %s AND status = 'confirmed'.
            models.Index(
                fields=["petition"],
                condition=Q(status="confirmed"),
                name="signature_counted_idx",
            ),
            # The rate check: signatures from one IP hash in the last window.
            models.Index(fields=["ip_hash", "created_at"], name="signature_ip_recent_idx"),
            # Bulk invalidation and the trending-sources view: one domain's signatures by time.
            models.Index(fields=["email_domain", "created_at"], name="signature_domain_recent_idx"),
            # Recent public signers, newest first.
            models.Index(
                fields=["petition", "-confirmed_at"],
                condition=Q(status="confirmed", show_name=True),
                name="signature_public_recent_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} ({self.get_status_display()})"

    @property
    def email(self):
        return privacy.decrypt(self.email_encrypted)

    @property
    def public_name(self):
        """First name and the initial of the last: "Aigul K."."""
        parts = self.name.split()
        if len(parts) < 2:
            return parts[0] if parts else ""
        return f"{parts[0]} {parts[-1][0]}."

    def claim_email(self):
        """Take one of the signature's emails, if any are left; True if one was taken.

        A conditional UPDATE, so concurrent requests can never send more than the cap.
        """
        return bool(
            Signature.objects.filter(
                pk=self.pk, emails_sent__lt=settings.SIGNATURE_MAX_EMAILS
            ).update(emails_sent=F("emails_sent") + 1)
        )
