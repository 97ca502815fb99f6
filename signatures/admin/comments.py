from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .. import moderation
from ..forms import PlainTextField
from ..models import COMMENT_MAX_LENGTH, Comment, ModerationSettings
from .columns import LanguageFilter, PetitionColumnMixin, language_name


class StatusFilter(admin.SimpleListFilter):
    """The comment's state, "pending" until another is chosen, with a count for each."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        counts = dict(
            model_admin.get_queryset(request)
            .order_by()
            .values_list("status")
            .annotate(count=Count("pk"))
        )
        choices = [
            (status, f"{label} ({counts.get(status, 0)})")
            for status, label in Comment.Status.choices
        ]
        return [*choices, (self.ALL, _("All"))]

    def value(self):
        return super().value() or Comment.Status.PENDING

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())


def _state_action(change, description, done):
    """An admin action that calls a state change of signatures.moderation on the selection."""

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        count = change(queryset, request.user)
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)

    action.__name__ = change.__name__
    return action


approve = _state_action(
    moderation.approve,
    _("Approve the selected comments"),
    ngettext_lazy("%(count)s comment approved.", "%(count)s comments approved.", "count"),
)
mark_spam = _state_action(
    moderation.mark_spam,
    _("Mark the selected comments as spam"),
    ngettext_lazy(
        "%(count)s comment marked as spam.", "%(count)s comments marked as spam.", "count"
    ),
)
remove = _state_action(
    moderation.remove,
    _("Remove the selected comments"),
    ngettext_lazy("%(count)s comment removed.", "%(count)s comments removed.", "count"),
)


class ReplyForm(forms.Form):
    text = PlainTextField(label=_("Your reply"), max_length=COMMENT_MAX_LENGTH)


@admin.register(Comment)
class CommentAdmin(PetitionColumnMixin, admin.ModelAdmin):
    list_display = [
        "excerpt",
        "author",
        "email_given",
        "petition",
        language_name,
        "status",
        "created_at",
        "links",
    ]
    list_filter = [StatusFilter, "petition", LanguageFilter, "is_organizer"]
    list_select_related = ["petition"]
    search_fields = ["author_name", "text"]
    date_hierarchy = "created_at"
    actions = [approve, mark_spam, remove]
    # Moderators change a comment's state through the actions, and may redact its name or
    # text; nothing else. The email itself is never shown, only whether there is one.
    fields = [
        "petition",
        "parent",
        "status",
        "author_name",
        "is_organizer",
        "email_given",
        "notify_replies",
        "text",
        "language",
        "created_at",
        "moderated_at",
        "moderated_by",
    ]
    readonly_fields = [
        "petition",
        "parent",
        "status",
        "is_organizer",
        "email_given",
        "notify_replies",
        "language",
        "created_at",
        "moderated_at",
        "moderated_by",
    ]

    def has_add_permission(self, request):
        # Comments come from the site; organizers' replies from the reply page.
        return False

    def has_delete_permission(self, request, obj=None):
        # Moderation never deletes: `manage.py purge_comments` does, after the audit period.
        return False

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.text).chars(120)

    @admin.display(description=_("name"), ordering="author_name")
    def author(self, comment):
        return comment.display_name

    @admin.display(description=_("email given"), boolean=True)
    def email_given(self, comment):
        return bool(comment.email_hash or comment.email_encrypted)

    @admin.display(description="")
    def links(self, comment):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            comment.get_absolute_url(),
            _("View on the page"),
            reverse("admin:signatures_comment_reply", args=[comment.pk]),
            _("Reply"),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name="signatures_comment_reply",
            ),
            *super().get_urls(),
        ]

    def reply_view(self, request, object_id):
        """Reply as "Organizer": published at once, in the thread of the comment replied to."""
        # The admin's own reading of an id: one that is no number is no comment, not a 500.
        comment = self.get_object(request, object_id)
        if comment is None:
            raise Http404
        if not self.has_change_permission(request, comment):
            raise PermissionDenied
        form = ReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                reply = moderation.reply_as_organizer(
                    comment, form.cleaned_data["text"], request.user
                )
            except moderation.ThreadClosed:
                self.message_user(
                    request,
                    _("This comment or its thread is spam or removed; it takes no replies."),
                    messages.ERROR,
                )
            else:
                self.message_user(request, _("Your reply is published."), messages.SUCCESS)
                return redirect("admin:signatures_comment_change", reply.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reply as organizer"),
            "opts": self.opts,
            "comment": comment,
            "form": form,
        }
        return TemplateResponse(request, "admin/signatures/comment/reply.html", context)


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    fields = ["hold", "max_links", "hold_words", "block_words", "last_digest_at"]
    readonly_fields = ["last_digest_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """There is one row: open it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings_row = ModerationSettings.load()
        return redirect("admin:signatures_moderationsettings_change", settings_row.pk)
