"""Figures for the organizers' statistics page, with a bar chart drawn on the server."""

from collections import Counter
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from .counting import totals
from .models import Comment, Region, Signature, Source, language_name

# A status as the heading of a number of signatures: plural where a signature's own status
# is singular («Подтверждённые: 8», not «Подтверждена: 8»).
STATUS_TOTALS = {
    Signature.Status.PENDING: pgettext_lazy("signatures counted", "Awaiting confirmation"),
    Signature.Status.CONFIRMED: pgettext_lazy("signatures counted", "Confirmed"),
    Signature.Status.FLAGGED: pgettext_lazy("signatures counted", "Flagged"),
    Signature.Status.INVALIDATED: pgettext_lazy("signatures counted", "Invalidated"),
    Signature.Status.WITHDRAWN: pgettext_lazy("signatures counted", "Withdrawn"),
}
CHART_DAYS = 60
CHART_WIDTH = 720
CHART_HEIGHT = 200


def bar_chart(counts_by_day, days=CHART_DAYS):
    """SVG geometry for one bar per day over the last `days` days, empty days included."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    slot = CHART_WIDTH / days
    peak = max(counts_by_day.values(), default=0)
    scale = peak or 1  # no bar is drawn on a chart of empty days
    bars = []
    for index in range(days):
        day = first + timedelta(days=index)
        value = counts_by_day.get(day, 0)
        height = round(value / scale * (CHART_HEIGHT - 20), 1)
        bars.append(
            {
                "day": day,
                "value": value,
                "x": round(index * slot + 1, 1),
                "y": round(CHART_HEIGHT - height, 1),
                "width": round(max(slot - 2, 1), 1),
                "height": height,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": bars,
        "peak": peak,
        "first": first,
        "last": today,
    }


def summary(petition=None):
    """Every figure from the counts table (signatures.counting), in one query whatever the
    number of signatures."""
    of_petition = {} if petition is None else {"petition": petition}
    first_day = timezone.localdate() - timedelta(days=CHART_DAYS - 1)
    by_status, by_region, by_language, per_day = Counter(), Counter(), Counter(), Counter()
    for (status, region, language, day), signatures in totals(
        "status", "region", "language", "day", **of_petition
    ).items():
        by_status[status] += signatures
        if status == Signature.Status.CONFIRMED:
            by_region[region] += signatures
            by_language[language] += signatures
            if day >= first_day:
                per_day[day] += signatures
    confirmed = by_status[Signature.Status.CONFIRMED]
    pending = by_status[Signature.Status.PENDING]
    # The rate is of online signers: paper signatures (no language) count as confirmed.
    online_confirmed = confirmed - by_language[""]
    regions = dict(Region.choices)
    comments = Comment.objects.pending()
    if petition is not None:
        comments = comments.filter(petition=petition)
    return {
        "pending_comments": comments.count(),
        "confirmed": confirmed,
        "by_status": [(label, by_status[status]) for status, label in STATUS_TOTALS.items()],
        "confirmation_rate": round(100 * online_confirmed / (online_confirmed + pending))
        if online_confirmed + pending
        else None,
        "by_region": [
            (regions.get(region, region), signatures)
            for region, signatures in by_region.most_common()
        ],
        "by_language": [
            # Paper signatures, and only they, have no language.
            (language_name(language) if language else Source.PAPER.label, signatures)
            for language, signatures in by_language.most_common()
        ],
        "chart": bar_chart(per_day),
    }
