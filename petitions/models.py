import itertools
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Steps the progress bar measures toward before the goal: early ones come soon, so a new
# petition's bar is never a long empty line. Organizers may set their own per petition.
DEFAULT_MILESTONES = (100, 500, 1_000, 5_000)
MILESTONES_FORMAT_ERROR = _(
    "Milestones are whole numbers separated by commas, e.g. 100, 500, 1000."
)


def parse_milestones(text):
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
    def reached_goal(self):
        return self.count >= self.goal

    @property
    def bar_value(self):
        return min(self.count, self.target)


class PetitionQuerySet(models.QuerySet):
    def published(self):
        """Petitions the public may see: open ones and closed ones, never drafts."""
        return self.exclude(status=Petition.Status.DRAFT)

    def published_cached(self, slug):
        """A published petition by slug, from a cache of a few seconds; raises DoesNotExist.

        The signing POST needs only the petition's id and whether it is open, so it need not
        ask the database on every signature. Organizers' changes show within seconds.
        """
        key = f"petitions:published:{slug}"
        petition = cache.get(key)
        if petition is None:
            petition = self.published().get(slug=slug)
            cache.set(key, petition, 5)
        return petition

    def accepting_signatures(self):
        """Petitions open for signing at this moment: the database's answer to `is_open`,
        for the statements that sign and confirm, so a cached copy cannot outlive closing."""
        return self.filter(Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now())).filter(
            status=Petition.Status.OPEN
        )

    def get_published_or_404(self, slug):
        """`published_cached`, for views: a slug that is no published petition is a 404."""
        try:
            return self.published_cached(slug)
        except Petition.DoesNotExist:
            raise Http404("No such petition.") from None

    def ended_before(self, moment):
        """Petitions whose signing ended before `moment` (closed, or past their closing date)."""
        return self.filter(
            Q(closes_at__lt=moment) | Q(status=Petition.Status.CLOSED, closed_at__lt=moment)
        )

    def featured(self):
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
        help_text=_('A neutral name, e.g. "Confirmation". Empty: the address alone.'),
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

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("petitions:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        self.milestones = self._checked_milestones()

    def _checked_milestones(self):
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
    def milestone_steps(self):
        """The steps toward the goal, the goal last. Steps at or above the goal are left
        out, so an organizer who lowers the goal never sees a bar aim past it."""
        try:
            steps = parse_milestones(self.milestones) or DEFAULT_MILESTONES
        except ValueError:
            steps = DEFAULT_MILESTONES
        return [step for step in steps if 0 < step < self.goal] + [self.goal]

    def progress(self, count):
        """The milestone `count` moves toward: the first one above it, else the goal."""
        target = next((step for step in self.milestone_steps if count < step), self.goal)
        return Progress(count=count, target=target, goal=self.goal)

    def close(self):
        """Stop accepting signatures now; the moment starts the anonymisation clock."""
        Petition.objects.filter(pk=self.pk).update(
            status=self.Status.CLOSED, closed_at=timezone.now()
        )
        self.refresh_from_db(fields=["status", "closed_at"])

    def reopen(self):
        Petition.objects.filter(pk=self.pk).update(status=self.Status.OPEN, closed_at=None)
        self.refresh_from_db(fields=["status", "closed_at"])

    @property
    def is_open(self):
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

    def __str__(self):
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
