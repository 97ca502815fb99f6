"""Organizers set a petition's milestones in the admin; a bad list gets a translated reason."""

import pytest
from django.urls import reverse

from tests.html import form_data


def _edit(client, petition, **changes):
    url = reverse("admin:petitions_petition_change", args=[petition.pk])
    data = form_data(client.get(url).content.decode())
    data.update(changes)
    return client.post(url, data)


def test_an_organizer_sets_milestones_and_the_page_aims_at_them(
    organizer_client, client, seeded_petition
):
    response = _edit(organizer_client, seeded_petition, milestones="50,250 , 2500")

    assert response.status_code == 302
    seeded_petition.refresh_from_db()
    assert seeded_petition.milestones == "50, 250, 2500"
    html = client.get(f"/en/petitions/{seeded_petition.slug}/").content.decode()
    assert "Next goal: 50 signatures" in html


@pytest.mark.parametrize(
    ("milestones", "reason"),
    [
        (
            "100, 500, 20000",
            "Каждая промежуточная цель должна быть меньше главной (10000): "
            "главная цель идёт последней.",
        ),
        (
            "сто, пятьсот",
            "Промежуточные цели — целые числа через запятую, например 100, 500, 1000.",
        ),
        (
            "500, 100",
            "Промежуточные цели должны идти по возрастанию: каждая больше предыдущей.",
        ),
    ],
)
def test_a_bad_list_of_milestones_is_refused_with_a_reason_in_russian(
    organizer_client, seeded_petition, milestones, reason
):
    organizer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"

    response = _edit(organizer_client, seeded_petition, milestones=milestones)

    assert response.status_code == 200
    assert reason in response.content.decode()
    seeded_petition.refresh_from_db()
    assert seeded_petition.milestones == ""
