from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Self, cast

from django.conf import settings
from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from petitions.models import Petition, Update

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


def language_name(code: str) -> str:
    """A signer's language by its own name ("Русский", "English"), as the language switch
    shows it; the bare code for a language the site no longer offers."""
    return dict(settings.LANGUAGES).get(code, code)


def public_name(name: str) -> str:
    """First name and the initial of the last: "Aigul K."."""
    parts = name.split()
    if len(parts) < 2:
        return parts[0] if parts else ""
    return f"{parts[0]} {parts[-1][0]}."


class SignatureQuerySet(models.QuerySet["Signature"]):
    def counted(self) -> Self:
        """Signatures that count: confirmed, not flagged, invalidated or withdrawn."""
        return self.filter(status=Signature.Status.CONFIRMED)

    def erase_personal_data(self, **changes: Any) -> int:
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

    def insert_unless_signed(
        self,
        signature: "Signature",
        *,
        limit: int,
        since: datetime,
        only_if: models.QuerySet[Petition],
    ) -> bool:
        """Insert `signature` unless its email already signed the petition; True if inserted.

        One statement, INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING (PostgreSQL, and
        SQLite for development): the unique constraint decides between concurrent requests,
        without the SELECT and savepoints of get_or_create on the busiest path of the site.
        The same statement applies the per-address limit: when the signature's IP hash made
        `limit` signatures since `since`, it goes in flagged and takes no email. Counting
        stops at the limit, so an address that floods costs no more per request. Nothing is
        inserted unless the queryset `only_if` finds a row when the statement runs.

        It is built from three parts, each a function below: the address's recent signatures
        (`_recent_from_address`), the values to insert (`_inserted_values`), and `only_if`.
        They stay one statement: one round trip, and nothing can change between the rate
        check, the petition's state and the insert.
        """
        connection = connections[self.db]
        quote = connection.ops.quote_name
        recent, recent_params = _recent_from_address(self, signature.ip_hash, since, limit)
        columns, values, value_params = _inserted_values(signature, connection, limit)
        condition, condition_params = _sql(only_if, self.db)
        returned = ", ".join(quote(column) for column in ("id", "status", "emails_sent"))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) "
                f"SELECT {values} FROM ({recent}) AS recent "
                # The WHERE lets SQLite read ON CONFLICT as the upsert, not a join condition.
                f"WHERE EXISTS ({condition}) ON CONFLICT DO NOTHING RETURNING {returned}",
                [*value_params, *recent_params, *condition_params],
            )
            row = cursor.fetchone()
        if row is None:
            return False
        signature.pk, signature.status, signature.emails_sent = row
        signature._state.adding = False
        signature._state.db = self.db
        return True


def _recent_from_address(
    signatures: models.QuerySet["Signature"], ip_hash: str, since: datetime, limit: int
) -> tuple[str, Sequence[Any]]:
    """One row, `signatures`: how many signatures `ip_hash` made since `since`, counted no
    further than `limit` (the index on ip_hash and created_at reads at most that many)."""
    window = signatures.filter(ip_hash=ip_hash, created_at__gte=since).order_by().values("pk")
    sql, params = _sql(window[:limit], signatures.db)
    return f"SELECT COUNT(*) AS signatures FROM ({sql}) AS rows_in_window", params


def _inserted_values(
    signature: "Signature", connection: BaseDatabaseWrapper, limit: int
) -> tuple[str, str, list[Any]]:
    """The columns and the values to insert: the signature's own, except that when the
    address's `recent.signatures` reached `limit` it goes in flagged and takes no email."""
    over_limit = "recent.signatures >= %s"
    fields = [field for field in signature._meta.concrete_fields if not field.primary_key]
    values, params = [], []
    for field in fields:
        value = field.get_db_prep_save(field.pre_save(signature, add=True), connection)
        if field.name == "status":
            values.append(f"CASE WHEN {over_limit} THEN %s ELSE %s END")
            params += [limit, Signature.Status.FLAGGED, value]
        elif field.name == "emails_sent":
            values.append(f"CASE WHEN {over_limit} THEN 0 ELSE %s END")
            params += [limit, value]
        else:
            values.append("%s")
            params.append(value)
    # A concrete field is one with a column.
    columns = ", ".join(connection.ops.quote_name(cast(str, field.column)) for field in fields)
    return columns, ", ".join(values), params


def _sql(queryset: models.QuerySet[Any], using: str | None) -> tuple[str, Sequence[Any]]:
    """A queryset's SQL and parameters, in the dialect of the database `using`."""
    return queryset.query.get_compiler(using=using).as_sql()


class EncryptedEmail:
    """For models with an `email_encrypted` field: the plaintext, decrypted on demand."""

    email_encrypted: str

    @property
    def email(self) -> str:
        return privacy.decrypt(self.email_encrypted)


class Source(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("On paper")


class Signature(EncryptedEmail, models.Model):
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
    # Emails taken from the cap (queued), and how many of them the worker has sent: a task
    # that runs twice finds no queued email left and sends nothing (signatures.tasks).
    emails_sent = models.PositiveSmallIntegerField(_("emails sent"), default=0)
    emails_delivered = models.PositiveSmallIntegerField(
        _("emails delivered"), default=0, editable=False
    )
    created_at = models.DateTimeField(_("signed"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # Paper signatures have no email, address or language: an organizer entered them from a
    # numbered sheet, in a batch that records who and when (PaperBatch).
    source = models.CharField(_("source"), max_length=6, choices=Source, default=Source.ONLINE)
    sheet = models.CharField(_("sheet number"), max_length=20, blank=True)
    paper_batch = models.ForeignKey(
        "PaperBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("entered in batch"),
    )

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-created_at"]
        permissions = [
            ("export_emails", _("Can export signers' email addresses")),
            ("enter_paper", _("Can enter paper signatures")),
            ("signature_book", _("Can make and download the signature book")),
        ]
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
            models.CheckConstraint(
                condition=Q(emails_delivered__lte=F("emails_sent")),
                name="signature_delivered_within_queued",
            ),
            # A paper signature comes from a batch, has no email and is never emailed.
            models.CheckConstraint(
                condition=Q(source="online", paper_batch__isnull=True)
                | Q(source="paper", paper_batch__isnull=False, email_hash="", emails_sent=0),
                name="signature_paper_from_batch",
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

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"

    @property
    def public_name(self) -> str:
        return public_name(self.name)

    def claim_email(self) -> bool:
        """Take one of the signature's emails, if any are left; True if one was taken.

        A conditional UPDATE, so concurrent requests can never send more than the cap.
        """
        return bool(
            Signature.objects.filter(
                pk=self.pk, emails_sent__lt=settings.SIGNATURE_MAX_EMAILS
            ).update(emails_sent=F("emails_sent") + 1)
        )


COMMENT_MAX_LENGTH = 2000
# The largest id a bigint holds; a larger one in a request is an error, not a 500.
MAX_ID = 2**63 - 1


class CommentQuerySet(models.QuerySet):
    def approved(self) -> Self:
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self) -> Self:
        return self.filter(status=Comment.Status.PENDING)

    def threads(self, petition: Petition) -> Self:
        """The petition's approved top-level comments, newest first; replies come separately."""
        return (
            self.approved()
            .filter(petition=petition, parent__isnull=True)
            .order_by("-created_at", "-pk")
        )

    def from_ip_hash_since(self, ip_hash: str, since: datetime) -> Self:
        return self.filter(ip_hash=ip_hash, created_at__gte=since)

    def purgeable(self, before: datetime) -> Self:
        """Spam and removed comments decided before `before`, which may now be deleted."""
        return self.filter(
            status__in=[Comment.Status.SPAM, Comment.Status.REMOVED], moderated_at__lt=before
        )


class Comment(EncryptedEmail, models.Model):
    """A comment on a petition, or a reply to one (one level: `parent` is always top-level).

    Moderation never deletes: spam and removed comments stay for audit until
    `manage.py purge_comments` deletes them.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Removed")

    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="comments", verbose_name=_("petition")
    )
    # Replies go with their thread when purge_comments deletes it, and only then: it never
    # deletes a comment that still has replies it keeps.
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    author_name = models.CharField(_("name"), max_length=100, blank=True)
    is_organizer = models.BooleanField(_("by an organizer"), default=False)
    email_encrypted = models.TextField(
        _("email (encrypted)"),
        blank=True,
        help_text=_("Optional, encrypted at rest; only to tell the author about replies."),
    )
    email_hash = models.CharField(_("email hash"), max_length=64, blank=True, editable=False)
    notify_replies = models.BooleanField(_("wants reply notifications"), default=False)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=10)
    ip_hash = models.CharField(_("IP address hash"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
        help_text=_("Empty when the moderation rules decided."),
    )
    in_digest = models.BooleanField(
        _("in a digest"),
        default=False,
        editable=False,
        help_text=_("Organizers were emailed about it while it was pending."),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "spam", "removed"]),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(GreaterThanOrEqual(Length("text"), 1))
                & Q(LessThanOrEqual(Length("text"), COMMENT_MAX_LENGTH)),
                name="comment_text_length",
            ),
            # Every comment but an organizer's has a name to show.
            models.CheckConstraint(
                condition=Q(is_organizer=True) | ~Q(author_name=""),
                name="comment_has_author",
            ),
            # The email is there only to notify of replies; without an email, no notification.
            models.CheckConstraint(
                condition=Q(notify_replies=False) | ~Q(email_encrypted=""),
                name="comment_notify_needs_email",
            ),
            # Every decision, the rules' or a moderator's, has a date; purging counts from it.
            models.CheckConstraint(
                condition=Q(status="pending") | Q(moderated_at__isnull=False),
                name="comment_decided_has_date",
            ),
        ]
        indexes = [
            # The public thread: approved top-level comments of a petition, newest first.
            models.Index(
                fields=["petition", "-created_at"],
                condition=Q(status="approved", parent__isnull=True),
                name="comment_thread_idx",
            ),
            # The rate limit and the flood guard: recent comments from one IP or one email.
            models.Index(fields=["ip_hash", "created_at"], name="comment_ip_recent_idx"),
            models.Index(fields=["email_hash", "created_at"], name="comment_email_recent_idx"),
            # The moderation queue and the digest.
            models.Index(
                fields=["created_at"], condition=Q(status="pending"), name="comment_pending_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        """The comment in place on the petition page, on whichever page its thread is."""
        return f"{self.petition.get_absolute_url()}?comment={self.pk}#comment-{self.pk}"

    @property
    def display_name(self) -> str:
        """The name shown with the comment; an organizer's, in the reader's language."""
        return gettext("Organizer") if self.is_organizer else self.author_name

    @property
    def thread(self) -> "Comment":
        """The top-level comment of this comment's thread (itself, if it is one)."""
        return self.parent or self


class ReplyNotification(models.Model):
    """A reply notification that went out: recorded in the transaction that sends it, so a
    notification task that runs twice tells nobody twice (signatures.tasks)."""

    reply = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="+", verbose_name=_("reply")
    )
    subscriber = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="+", verbose_name=_("comment replied to")
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reply notification")
        verbose_name_plural = _("reply notifications")
        constraints = [
            models.UniqueConstraint(fields=["reply", "subscriber"], name="reply_notification_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reply_id} → {self.subscriber_id}"


class ModerationSettings(models.Model):
    """The organizers' moderation rules: a single row, edited in admin."""

    class Hold(models.TextChoices):
        EVERY = "every", _("Every comment")
        FIRST_TIME = "first-time", _("Only comments from people with no approved comment yet")

    hold = models.CharField(
        _("hold for moderation"), max_length=12, choices=Hold, default=Hold.EVERY
    )
    max_links = models.PositiveSmallIntegerField(
        _("hold comments with this many links"),
        default=2,
        help_text=_("A comment with at least this many web addresses waits for moderation."),
    )
    hold_words = models.TextField(
        _("hold words"),
        blank=True,
        help_text=_(
            "One word or phrase per line. A comment whose name or text contains one (also "
            "inside a longer word, in any case) waits for moderation."
        ),
    )
    block_words = models.TextField(
        _("block words"),
        blank=True,
        help_text=_(
            "One word or phrase per line, matched the same way. A comment that contains one "
            "goes straight to spam."
        ),
    )
    last_digest_at = models.DateTimeField(
        _("last digest sent"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="moderation_settings_single_row"),
        ]

    def __str__(self) -> str:
        # Not the model's name: the admin shows both, one after the other, in its breadcrumbs.
        return gettext("Rules for comments")

    @classmethod
    def load(cls) -> Self:
        return cls.objects.get_or_create(pk=1)[0]

    def next_digest_at(self, now: datetime) -> datetime:
        """When the next digest may go out: now, or an interval after the last one."""
        if self.last_digest_at is None:
            return now
        return max(now, self.last_digest_at + timedelta(seconds=settings.DIGEST_INTERVAL))


class SpentChallengeQuerySet(models.QuerySet):
    def spend(self, nonce: str, expires_at: datetime) -> bool:
        """Record that the CAPTCHA challenge `nonce` was solved; False if it already was.

        One INSERT ... ON CONFLICT DO NOTHING: the unique constraint decides between
        concurrent requests on every worker and server. The same transaction forgets the
        challenges that have expired, which verification refuses by their signed expiry
        anyway, so the table holds only the last few minutes' solutions.

        On PostgreSQL the commit does not wait for the disk: a crash could forget the last
        moment's solutions, so each could be sent once more before it expires; waiting would
        add a disk flush to every signature.
        """
        connection = connections[self.db]
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        expires = quote("expires_at")
        # Inside a caller's transaction the setting would cover the caller's writes too.
        own_transaction = not connection.in_atomic_block
        with transaction.atomic(using=self.db), connection.cursor() as cursor:
            if connection.vendor == "postgresql" and own_transaction:
                cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(
                f"DELETE FROM {table} WHERE {expires} < %s",
                [connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            cursor.execute(
                f"INSERT INTO {table} ({quote('nonce')}, {expires}) VALUES (%s, %s) "
                f"ON CONFLICT DO NOTHING RETURNING {quote('id')}",
                [nonce, connection.ops.adapt_datetimefield_value(expires_at)],
            )
            return cursor.fetchone() is not None


class SpentChallenge(models.Model):
    """A CAPTCHA challenge whose solution was accepted once, and so never again."""

    nonce = models.CharField(_("challenge"), max_length=64)
    # The pruning in spend() reads this index.
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    objects = SpentChallengeQuerySet.as_manager()

    class Meta:
        verbose_name = _("solved CAPTCHA challenge")
        verbose_name_plural = _("solved CAPTCHA challenges")
        constraints = [
            models.UniqueConstraint(fields=["nonce"], name="spent_challenge_unique_nonce"),
        ]

    def __str__(self) -> str:
        return self.nonce


class SignatureBucket(models.Model):
    """What a signature is counted under: petition, status, region, language and day."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Signature.Status)
    region = models.CharField(max_length=20)
    language = models.CharField(max_length=10)
    source = models.CharField(max_length=6, choices=Source, default=Source.ONLINE)
    # The signer's day: that of the confirmation, before it that of the signing (local time).
    day = models.DateField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return (
            f"{self.petition_id} {self.status} {self.region} {self.language} {self.source} "
            f"{self.day}"
        )


class SignatureCount(SignatureBucket):
    """How many signatures share one bucket.

    The figures everyone reads (the public count, regions, the admin's statistics) are sums
    over these few rows, so they cost the same at ten signatures and at ten million. Rows
    only change when signatures.counting folds the recorded changes in, a batch at a time.
    """

    signatures = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "status", "region", "language", "source", "day"],
                name="signature_count_bucket",
            ),
        ]


class SignatureCountChange(SignatureBucket):
    """One change to a SignatureCount row, appended in the transaction that made it.

    Appending never makes two signers wait for one row, as a shared counter would; readers
    add the changes not folded in yet, so the figures are exact at once.
    """

    change = models.IntegerField()

    class Meta:
        indexes = [
            # Readers add the changes not folded yet of one petition (and status).
            models.Index(fields=["petition", "status"], name="signature_count_change_idx"),
        ]


class Mailing(models.Model):
    """An email to the signers of a petition who asked for updates (signatures.mailings).

    Written in admin in every language (signatures/translation.py); each signer gets it in
    the language they signed in, the first language's text where theirs is empty.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        # The mailing's status: in Russian it agrees with «рассылка», a copy's with «письмо».
        SENT = "sent", pgettext_lazy("mailing status", "Sent")

    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="mailings", verbose_name=_("petition")
    )
    subject = models.CharField(
        _("subject"),
        max_length=150,
        blank=True,
        help_text=_("A phone's lock screen shows it: keep it neutral. Empty: a neutral “News”."),
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Plain text; separate paragraphs with an empty line. The unsubscribe link is "
            "added at the end."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, editable=False
    )
    # The published update it was made from (signatures.mailings.draft_from_update): one
    # mailing per update, so a second click opens the first one instead of mailing it twice.
    # Deleting the update keeps the mailing, the record of what signers received.
    update = models.OneToOneField(
        Update,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mailing",
        editable=False,
        verbose_name=_("from the update"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("sending started"), null=True, editable=False)
    finished_at = models.DateTimeField(_("sending finished"), null=True, editable=False)
    # When the last batch began: the next may begin one pause later (signatures.mailings).
    batch_started_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(started_at__isnull=False),
                name="mailing_sending_has_start",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or self.body[:60]


class MailingDeliveryQuerySet(models.QuerySet["MailingDelivery"]):
    def claimer(
        self, mailing: Mailing, recipients: models.QuerySet[Signature]
    ) -> Callable[[int], bool]:
        """`claim(signature_id)`: record that signature's copy of `mailing` as sent, if
        `recipients` still holds it and it has no copy yet; True if it did.

        Each claim is one statement, INSERT ... SELECT ... WHERE EXISTS ... ON CONFLICT DO
        NOTHING RETURNING (PostgreSQL, and SQLite for development), built once for all the
        claims of a batch: the signer is checked and their copy recorded in one round trip,
        and no SQL is compiled per signer. A claim that meets the copy another run is
        recording waits for it (the unique constraint), then finds it and returns False.
        """
        connection = connections[self.db]
        quote = connection.ops.quote_name
        still, still_params = _sql(recipients.order_by().values(recipient=F("pk")), self.db)
        columns = ", ".join(
            quote(column) for column in ("mailing_id", "signature_id", "status", "error", "at")
        )
        statement = (
            f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) "
            "SELECT %s, %s, %s, '', %s "
            f"WHERE EXISTS (SELECT 1 FROM ({still}) AS {quote('still')} "
            f"WHERE {quote('still')}.{quote('recipient')} = %s) "
            f"ON CONFLICT DO NOTHING RETURNING {quote('id')}"
        )

        def claim(signature_id: int) -> bool:
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            with connection.cursor() as cursor:
                cursor.execute(
                    statement,
                    [
                        mailing.pk,
                        signature_id,
                        MailingDelivery.Status.SENT.value,
                        now,
                        *still_params,
                        signature_id,
                    ],
                )
                return cursor.fetchone() is not None

        return claim


class MailingDelivery(models.Model):
    """One signer's copy of a mailing, written in the transaction that sends it: a mailing
    that resumes after a crash skips everyone who has one (signatures.mailings)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("mailing")
    )
    signature = models.ForeignKey(
        Signature, on_delete=models.CASCADE, related_name="+", verbose_name=_("signature")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status)
    # The kind of error only (e.g. SMTPRecipientsRefused): a message could quote the address.
    error = models.CharField(_("error"), max_length=100, blank=True)
    at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = MailingDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("mailing delivery")
        verbose_name_plural = _("mailing deliveries")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "signature"], name="mailing_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.mailing_id} → #{self.signature_id}"


class Unsubscribe(models.Model):
    """An email address that wants no more mailings, by its keyed hash alone: kept when the
    same person signs another petition, and no plaintext is stored to keep it."""

    email_hash = models.CharField(_("email hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("unsubscribed"), default=timezone.now)

    class Meta:
        verbose_name = _("unsubscribed address")
        verbose_name_plural = _("unsubscribed addresses")

    def __str__(self) -> str:
        return self.email_hash[:16]


class PaperBatch(models.Model):
    """Paper signatures entered together from one uploaded file: who entered them, and when.

    The file's digest is unique per petition, so a form sent twice stores its rows once.
    """

    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="+", verbose_name=_("petition")
    )
    digest = models.CharField(_("file digest"), max_length=64, editable=False)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        verbose_name = _("batch of paper signatures")
        verbose_name_plural = _("batches of paper signatures")
        constraints = [
            models.UniqueConstraint(fields=["petition", "digest"], name="paper_batch_once"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.entered_at:%Y-%m-%d %H:%M})"


class SignatureBook(models.Model):
    """A petition's signature book for parliament, as a PDF the worker made.

    Kept in the database, like the organizations' logos, so the site needs no file storage;
    each request makes a new book, and the older ones stay for the record.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be made")

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="+", verbose_name=_("petition")
    )
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=6, choices=Status, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    signatures = models.PositiveIntegerField(_("signatures"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    pdf = models.BinaryField(_("PDF"), null=True, editable=False)

    class Meta:
        verbose_name = _("signature book")
        verbose_name_plural = _("signature books")
        ordering = ["-requested_at"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.petition_id} {self.language} {self.requested_at:%Y-%m-%d %H:%M}"
