"""Cold timings of the figures: the count, the region counts, the petition's JSON and the
admin's statistics page, each with the cache emptied first.

Run by bench/sign_bench.py against its database (DATABASE_URL and the rest from the
environment); prints one JSON object of milliseconds, the median of a few cold calls each.
"""

import json
import os
import statistics
import time

ROUNDS = 5


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petition_site.settings")
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY

    from petitions.models import Petition
    from signatures.counting import public_count, region_counts

    petition = Petition.objects.get(is_featured=True)
    organizer, _created = get_user_model().objects.get_or_create(
        username="bench-organizer", defaults={"is_staff": True, "is_superuser": True}
    )
    device = organizer.totpdevice_set.get_or_create(name="bench", defaults={"confirmed": True})[0]
    host = {"HTTP_HOST": "127.0.0.1"}
    visitor, admin = Client(**host), Client(**host)
    admin.force_login(organizer)
    session = admin.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    def get(client, url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    readers = {
        "count": lambda: public_count(petition),
        "regions": lambda: region_counts(petition),
        "json": lambda: get(visitor, f"/en/petitions/{petition.slug}.json"),
        "statistics": lambda: get(
            admin, reverse("admin:signatures_signature_stats") + f"?petition={petition.pk}"
        ),
    }
    timings = {}
    for name, read in readers.items():
        rounds = []
        for _round in range(ROUNDS):
            cache.clear()
            started = time.perf_counter()
            read()
            rounds.append((time.perf_counter() - started) * 1000)
        timings[name] = round(statistics.median(rounds), 1)
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
