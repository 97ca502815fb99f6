import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    # Only names for types: logos import this module; the stubs alone define StrOrPromise.
    from django_stubs_ext import StrOrPromise

    from .logos import Logo

# Steps the progress bar measures toward before the goal: early ones come soon, so a new
# petition's bar is never a long empty line. Organizers may set their own per petition.
DEFAULT_MILESTONES = (100, 500, 1_000, 5_000)
MILESTONES_FORMAT_ERROR = _(
    "Milestones are whole numbers separated by commas, e.g. 100, 500, 1000."
)


def parse_milestones(text: str) -> list[int]:
    """[int] from "100, 500, 1000"; spaces and a trailing comma are forgiven. Raises
    ValueError for anything else."""
    return [int(part) for part in text.replace(" ", "").split(",") if part]


@dataclass(frozen=True)
class Progress:
    """Where a count stands: the milestone it moves toward, and the goal beyond it."""

    count: int
    target: int
    goal: int

    @property
    def reached_goal(self) -> bool:
        return self.count >= self.goal

    @property
    def bar_value(self) -> int:
        return min(self.count, self.target)


class PetitionQuerySet(models.QuerySet["Petition"]):
    def published(self) -> Self:
        """Petitions the public may see: open ones and closed ones, never drafts."""
        return self.exclude(status=Petition.Status.DRAFT)

    def published_cached(self, slug: str) -> "Petition":
        """A published petition by slug, from a cache of a few seconds; raises DoesNotExist.

        The signing POST needs only the petition's id and whether it is open, so it need not
        ask the database on every signature. Organizers' changes show within seconds.
        """
        key = f"petitions:published:{slug}"
        petition = cache.get(key)
        if petition is None:
            # The page names who runs the petition; the logo's bytes are served on their own.
            petition = (
                self.published()
                .select_related("organization")
                .defer("organization__logo")
                .get(slug=slug)
            )
            cache.set(key, petition, 5)
        return petition

    def accepting_signatures(self) -> Self:
        """Petitions open for signing at this moment: the database's answer to `is_open`,
        for the statements that sign and confirm, so a cached copy cannot outlive closing."""
        return self.filter(Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now())).filter(
            status=Petition.Status.OPEN
        )

    def get_published_or_404(self, slug: str) -> "Petition":
        """`published_cached`, for views: a slug that is no published petition is a 404."""
        try:
            return self.published_cached(slug)
        except Petition.DoesNotExist:
            raise Http404("No such petition.") from None

    def ended_before(self, moment: datetime) -> Self:
        """Petitions whose signing ended before `moment` (closed, or past their closing date)."""
        return self.filter(
            Q(closes_at__lt=moment) | Q(status=Petition.Status.CLOSED, closed_at__lt=moment)
        )

    def featured(self) -> "Petition | None":
        """The petition the home page shows: the featured one, else the newest published."""
        return self.published().order_by("-is_featured", "-created_at").first()


class Petition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    is_featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Shown on the home page.")
    )
    goal = models.PositiveIntegerField(_("signature goal"), default=1000)
    milestones = models.CharField(
        _("milestones"),
        max_length=200,
        blank=True,
        help_text=_(
            "Signature counts the progress bar measures toward before the goal, ascending "
            "and separated by commas, e.g. 100, 500, 1000, 5000. Empty: these four."
        ),
    )
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("Optional. After this moment the petition accepts no more signatures."),
    )

    # Translated text (see petitions/translation.py). Every part but the title is optional:
    # the page leaves out what a campaign does not use.
    title = models.CharField(_("title"), max_length=200)
    lead = models.TextField(
        _("lead"), blank=True, help_text=_("The opening statement: who asks whom for what.")
    )
    preamble = models.TextField(_("preamble"), blank=True)
    quote_intro = models.TextField(
        _("introduction to the quotation"),
        blank=True,
        help_text=_("The sentence that introduces the quoted text, e.g. the CEDAW observations."),
    )
    quote = models.TextField(
        _("quotation"), blank=True, help_text=_("Separate paragraphs with an empty line.")
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("Separate paragraphs with an empty line.")
    )
    harms_intro = models.TextField(_("introduction to the harms"), blank=True)
    reasons_intro = models.TextField(_("introduction to the reasons"), blank=True)
    reasons_title = models.CharField(_("heading of the reasons"), max_length=200, blank=True)
    demands_intro = models.TextField(_("introduction to the demands"), blank=True)

    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    # Emails to signers. A seized phone shows the sender and subject on its lock screen, so
    # both can be neutral, and the message itself need not name the petition.
    email_sender_name = models.CharField(
        _("email sender name"),
        max_length=100,
        blank=True,
        help_text=_(
            'A neutral name, e.g. "Confirmation". Empty: the organization\'s name, or the '
            "address alone if the emails are discreet."
        ),
    )
    email_subject = models.CharField(
        _("email subject"),
        max_length=150,
        blank=True,
        help_text=_('Empty: a neutral "Please confirm your email address".'),
    )
    discreet_emails = models.BooleanField(
        _("discreet emails"),
        default=True,
        help_text=_("Emails to signers do not name the petition or its subject."),
    )

    organization = models.ForeignKey(
        "Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("organization"),
        help_text=_("Who runs the petition. Empty: the site's default organization, if any."),
    )
    started_on = models.DateField(
        _("started on"),
        default=timezone.localdate,
        help_text=_("Shown as “Started by … on <date>”."),
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(goal__gt=0), name="petition_goal_positive"),
            # Digits and commas only; clean() explains what else a good list needs.
            models.CheckConstraint(
                condition=Q(milestones__regex=r"^[0-9, ]*$"),
                name="petition_milestones_digits",
                violation_error_message=MILESTONES_FORMAT_ERROR,
            ),
            models.UniqueConstraint(
                fields=["is_featured"],
                condition=Q(is_featured=True),
                name="petition_single_featured",
                violation_error_message=_("Another petition is already featured."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        self.milestones = self._checked_milestones()

    def _checked_milestones(self) -> str:
        """The milestones written out plainly ("100, 500"), or a ValidationError saying
        what is wrong with them."""
        try:
            steps = parse_milestones(self.milestones)
        except ValueError:
            steps = None
        if steps is None:
            problem = ValidationError(MILESTONES_FORMAT_ERROR, code="format")
        elif any(step <= 0 for step in steps):
            problem = ValidationError(
                _("Each milestone must be greater than zero."), code="positive"
            )
        elif any(later <= earlier for earlier, later in itertools.pairwise(steps)):
            problem = ValidationError(
                _("Milestones must go up, each larger than the one before."), code="ascending"
            )
        elif self.goal and steps and steps[-1] >= self.goal:
            problem = ValidationError(
                _("Each milestone must be smaller than the goal (%(goal)s), which comes last."),
                code="below_goal",
                params={"goal": self.goal},
            )
        else:
            return ", ".join(map(str, steps))
        raise ValidationError({"milestones": problem})

    @property
    def milestone_steps(self) -> list[int]:
        """The steps toward the goal, the goal last. Steps at or above the goal are left
        out, so an organizer who lowers the goal never sees a bar aim past it."""
        try:
            steps = parse_milestones(self.milestones) or DEFAULT_MILESTONES
        except ValueError:
            steps = DEFAULT_MILESTONES
        return [step for step in steps if 0 < step < self.goal] + [self.goal]

    def progress(self, count: int) -> Progress:
        """The milestone `count` moves toward: the first one above it, else the goal."""
        target = next((step for step in self.milestone_steps if count < step), self.goal)
        return Progress(count=count, target=target, goal=self.goal)

    def sender_name(self) -> str:
        """The display name of emails to signers, in the active language; "" for none.

        The organizers' own neutral name wins. Otherwise a discreet petition sends under the
        bare address: an organization's name on a lock screen would tell what was signed.
        """
        if self.email_sender_name or self.discreet_emails:
            return self.email_sender_name
        organization = Organization.objects.speaking_for(self)
        return organization.name if organization else ""

    def close(self) -> None:
        """Stop accepting signatures now; the moment starts the anonymisation clock."""
        Petition.objects.filter(pk=self.pk).update(
            status=self.Status.CLOSED, closed_at=timezone.now()
        )
        self.refresh_from_db(fields=["status", "closed_at"])

    def reopen(self) -> None:
        Petition.objects.filter(pk=self.pk).update(status=self.Status.OPEN, closed_at=None)
        self.refresh_from_db(fields=["status", "closed_at"])

    @property
    def is_open(self) -> bool:
        """Whether the petition accepts signatures right now."""
        if self.status != self.Status.OPEN:
            return False
        return self.closes_at is None or timezone.now() < self.closes_at


class PetitionPart(models.Model):
    """One item of an ordered list on the petition page; `position` sets the order."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="%(class)ss")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("text"))

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Addressee(PetitionPart):
    class Meta(PetitionPart.Meta):
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")


class Harm(PetitionPart):
    class Meta(PetitionPart.Meta):
        verbose_name = _("harm")
        verbose_name_plural = _("harms")


class Reason(PetitionPart):
    class Meta(PetitionPart.Meta):
        verbose_name = _("reason")
        verbose_name_plural = _("reasons")


class Demand(PetitionPart):
    class Meta(PetitionPart.Meta):
        verbose_name = _("demand")
        verbose_name_plural = _("demands")


class HostValidator:
    """Accept only addresses on `hosts` or their subdomains: a Telegram link must go to t.me."""

    def __init__(self, *hosts: str) -> None:
        self.hosts = hosts

    def __call__(self, value: str) -> None:
        host = (urlsplit(value).hostname or "").lower()
        if not any(host == allowed or host.endswith("." + allowed) for allowed in self.hosts):
            raise ValidationError(
                _("Enter an address on %(host)s."),
                code="invalid_host",
                params={"host": self.hosts[0]},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HostValidator) and self.hosts == other.hosts

    def deconstruct(self) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        return ("petitions.models.HostValidator", self.hosts, {})


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def speaking_for(self, petition: Petition) -> "Organization | None":
        """Who runs `petition`: its own organization, else the site's default; or None."""
        if petition.organization_id:
            return petition.organization
        return self._default()

    def for_site(self) -> "Organization | None":
        """Who speaks on the pages of no petition: whoever runs the featured petition."""

        def find() -> "Organization | None":
            featured = Petition.objects.featured()
            if featured is None or not featured.organization_id:
                return None
            return self.defer("logo").get(pk=featured.organization_id)

        return _cached("organizations:site", find) or self._default()

    def _default(self) -> "Organization | None":
        return _cached(
            "organizations:default", lambda: self.defer("logo").filter(is_default=True).first()
        )


def _cached[T](key: str, find: Callable[[], T | None]) -> T | None:
    """`find()`, from a cache of a few seconds like the petition's: every page names it."""
    found = cache.get(key)
    if found is None:
        # The cache cannot tell a stored None from a miss; False stands for "there is none".
        found = find() or False
        cache.set(key, found, 5)
    return found or None


class Organization(models.Model):
    """Who runs a campaign, shown in the page header, the petition's byline and emails."""

    name = models.CharField(pgettext_lazy("organization", "name"), max_length=120)
    about = models.TextField(
        _("who we are"),
        max_length=300,
        blank=True,
        help_text=_("Two lines at most: who you are and what you do."),
    )
    email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    telegram = models.URLField(
        _("Telegram"), blank=True, validators=[HostValidator("t.me", "telegram.me")]
    )
    instagram = models.URLField(
        _("Instagram"), blank=True, validators=[HostValidator("instagram.com")]
    )
    facebook = models.URLField(
        _("Facebook"), blank=True, validators=[HostValidator("facebook.com", "fb.com")]
    )
    is_default = models.BooleanField(
        _("site default"),
        default=False,
        help_text=_("Speaks for every petition that names no organization of its own."),
    )

    # The logo, already resized, lives in the database: the site needs no file storage and
    # any number of containers serve the same bytes. See petitions/logos.py.
    logo = models.BinaryField(_("logo"), blank=True, default=b"")
    logo_digest = models.CharField(max_length=16, blank=True, editable=False)
    logo_width = models.PositiveSmallIntegerField(null=True, editable=False)
    logo_height = models.PositiveSmallIntegerField(null=True, editable=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="organization_single_default",
                violation_error_message=_("Another organization is already the site default."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def set_logo(self, logo: "Logo") -> None:
        """Keep `logo` (a petitions.logos.Logo); its digest names a new, never-stale address."""
        self.logo = logo.data
        self.logo_width, self.logo_height = logo.width, logo.height
        self.logo_digest = logo.digest

    def clear_logo(self) -> None:
        self.logo, self.logo_digest, self.logo_width, self.logo_height = b"", "", None, None

    def logo_url(self) -> str:
        if not self.logo_digest:
            return ""
        return reverse("organization_logo", args=[self.pk, self.logo_digest])

    @property
    def links(self) -> "list[tuple[StrOrPromise, str]]":
        """The organization's pages that are filled in, as (label, address) pairs."""
        return [
            # These are URL fields, never a relation without a verbose name.
            (self._meta.get_field(field).verbose_name, getattr(self, field))  # type: ignore[union-attr]
            for field in ("website", "telegram", "instagram", "facebook")
            if getattr(self, field)
        ]


class UpdateQuerySet(models.QuerySet["Update"]):
    def published(self) -> Self:
        """What the public may read, newest first; drafts never."""
        return self.filter(status=Update.Status.PUBLISHED).order_by("-published_at", "-pk")


class Update(models.Model):
    """News from the organizers, dated, on the petition's page and in its Atom feed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="updates", verbose_name=_("petition")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Shown with the update. Empty: the moment it is published."),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), help_text=_("Separate paragraphs with an empty line."))

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        # PostgreSQL puts NULLs first when descending: drafts (undated) head the admin list.
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="update_published_has_date",
            ),
        ]
        indexes = [
            # petition.updates.published(): the page and the feed, on every render.
            models.Index(
                fields=["petition", "status", "-published_at"], name="update_petition_published"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.petition.get_absolute_url()}#update-{self.pk}"
