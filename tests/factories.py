from itertools import count

from petitions.models import Petition

_numbers = count(1)


def make_petition(**fields):
    number = next(_numbers)
    fields.setdefault("slug", f"petition-{number}")
    fields.setdefault("title_en", f"Petition {number}")
    fields.setdefault("status", Petition.Status.OPEN)
    return Petition.objects.create(**fields)
