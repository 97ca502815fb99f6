"""Figures for the organizers' statistics page, with a bar chart drawn on the server."""

from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Comment, Region, Signature, language_name

CHART_DAYS = 60
CHART_WIDTH = 720
CHART_HEIGHT = 200


def bar_chart(counts_by_day, days=CHART_DAYS):
    """SVG geometry for one bar per day over the last `days` days, empty days included."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    slot = CHART_WIDTH / days
    peak = max(counts_by_day.values(), default=0) or 1
    bars = []
    for index in range(days):
        day = first + timedelta(days=index)
        value = counts_by_day.get(day, 0)
        height = round(value / peak * (CHART_HEIGHT - 20), 1)
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
    signatures = Signature.objects.all()
    if petition is not None:
        signatures = signatures.filter(petition=petition)
    counted = signatures.counted()
    since = timezone.now() - timedelta(days=CHART_DAYS)
    per_day = {
        row["day"]: row["signatures"]
        for row in counted.filter(confirmed_at__gte=since)
        .annotate(day=TruncDate("confirmed_at"))
        .values("day")
        .annotate(signatures=Count("pk"))
    }
    by_status = dict(signatures.values_list("status").annotate(Count("pk")))
    confirmed = by_status.get(Signature.Status.CONFIRMED, 0)
    pending = by_status.get(Signature.Status.PENDING, 0)
    regions = dict(Region.choices)
    comments = Comment.objects.pending()
    if petition is not None:
        comments = comments.filter(petition=petition)
    return {
        "pending_comments": comments.count(),
        "confirmed": confirmed,
        "by_status": [
            (label, by_status.get(value, 0)) for value, label in Signature.Status.choices
        ],
        "confirmation_rate": round(100 * confirmed / (confirmed + pending))
        if confirmed + pending
        else None,
        "by_region": [
            (regions.get(row["region"], row["region"]), row["signatures"])
            for row in counted.values("region")
            .annotate(signatures=Count("pk"))
            .order_by("-signatures")
        ],
        "by_language": [
            (language_name(language), signatures)
            for language, signatures in counted.values_list("language")
            .annotate(signatures=Count("pk"))
            .order_by("-signatures")
        ],
        "chart": bar_chart(per_day),
    }
