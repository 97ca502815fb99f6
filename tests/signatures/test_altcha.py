"""CAPTCHA=altcha: a proof of work issued and checked by this site alone.

Challenges come from the site's own endpoint and are solved here by the reference `altcha`
library, as the browser's widget solves them; nothing is mocked.
"""

import base64
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from altcha import Challenge, Payload, solve_challenge
from altcha_django import build_challenge
from django.db import IntegrityError
from django.utils import timezone

from signatures.models import Comment, ModerationSettings, Signature, SpentChallenge
from tests.concurrency import at_once
from tests.factories import comment_data, make_comment, make_petition, sign_data


@pytest.fixture(autouse=True)
def altcha_on(settings):
    settings.CAPTCHA = "altcha"
    settings.ALTCHA_HMAC_SECRET = "test-only-altcha-key-0123456789abcdefghij"
    settings.ALTCHA_CHALLENGE_HMAC_KEY_SECRET = "test-only-altcha-key-0123456789:derived-key"
    # A light challenge: the tests prove the rules, not the difficulty.
    settings.ALTCHA_CHALLENGE = {**settings.ALTCHA_CHALLENGE, "cost": 10, "max_number": 1000}


def _solve(challenge):
    challenge = Challenge.from_dict(challenge)
    return Payload(challenge, solve_challenge(challenge)).to_base64()


def _solution(client):
    """A challenge fetched from the site, solved."""
    return _solve(client.get("/captcha/challenge/").json())


def _sign(client, petition, email="aigul@example.org", language="en", **data):
    return client.post(
        f"/{language}/petitions/{petition.slug}/sign/", sign_data(email=email, **data)
    )


def _page(petition, language="en"):
    from django.test import Client

    response = Client().get(f"/{language}/petitions/{petition.slug}/")
    assert response.status_code == 200
    return response


def test_the_petition_page_is_the_same_for_every_visitor_and_carries_no_challenge(petition):
    first, second = _page(petition), _page(petition)

    def without_csrf_tokens(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert without_csrf_tokens(first) == without_csrf_tokens(second)
    html = first.content.decode()
    assert html.count('<altcha-widget name="captcha" challenge="/captcha/challenge/"') == 2
    assert '"nonce"' not in html and "keyPrefix" not in html
    assert first.cookies.keys() <= {"csrftoken"}


def _altcha_settings(html):
    found = re.search(r'<script id="altcha-settings" type="application/json">(.*?)</script>', html)
    return json.loads(found[1])


def test_the_page_loads_only_this_sites_files_under_the_strict_policy(petition):
    response = _page(petition)

    html = response.content.decode()
    sources = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert sources and all(source.startswith("/static/") for source in sources)
    assert "google" not in html
    policy = response["Content-Security-Policy"]
    assert "google" not in policy and "unsafe" not in policy
    for name in ("script", "style", "worker"):
        assert _altcha_settings(html)[name].startswith("/static/altcha/")


def test_the_widget_speaks_the_pages_language(petition):
    html = _page(petition, "ru").content.decode()

    assert 'language="ru"' in html
    assert _altcha_settings(html)["language"] == "ru"
    assert _altcha_settings(html)["strings"]["label"] == "Я не робот"


def test_each_visit_to_the_form_gets_a_fresh_challenge_that_no_cache_keeps(client, db):
    first, second = client.get("/captcha/challenge/"), client.get("/captcha/challenge/")

    assert first.status_code == second.status_code == 200
    assert first.json()["parameters"]["nonce"] != second.json()["parameters"]["nonce"]
    assert first["Cache-Control"] == "no-store"
    assert not first.cookies


def test_a_solved_challenge_signs(client, petition):
    response = _sign(client, petition, captcha=_solution(client))

    assert response.status_code == 302
    assert Signature.objects.get().status == Signature.Status.PENDING
    assert SpentChallenge.objects.count() == 1


def test_a_solution_is_accepted_only_once(client, petition):
    payload = _solution(client)
    assert _sign(client, petition, captcha=payload).status_code == 302

    replayed = _sign(client, petition, "another@example.org", language="ru", captcha=payload)

    assert replayed.status_code == 400
    assert "Проверка CAPTCHA не пройдена" in replayed.content.decode()
    assert Signature.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_solution_sent_at_once_by_many_is_accepted_once():
    from django.test import Client

    petition = make_petition(slug="replay")
    payload = _solution(Client())

    def sign(index):
        return _sign(Client(), petition, f"person{index}@example.org", captcha=payload).status_code

    statuses = at_once(8, sign)

    assert sorted(statuses) == [302] + [400] * 7
    assert Signature.objects.count() == 1


def test_an_expired_challenge_is_refused(client, petition):
    challenge = build_challenge(expires_at=timezone.now() - timedelta(seconds=1)).to_dict()

    response = _sign(client, petition, captcha=_solve(challenge))

    assert response.status_code == 400
    assert "The CAPTCHA check expired. Please try again." in response.content.decode()
    assert Signature.objects.count() == 0


def test_a_wrong_or_forged_solution_is_refused(client, petition):
    payload = json.loads(base64.b64decode(_solution(client)))
    payload["solution"]["derivedKey"] = "00" * 32
    wrong = base64.b64encode(json.dumps(payload).encode()).decode()

    for bad in (wrong, "not-a-solution", _solve(build_challenge(hmac_secret="x" * 40).to_dict())):
        response = _sign(client, petition, captcha=bad)
        assert response.status_code == 400
        assert "The CAPTCHA check failed. Please try again." in response.content.decode()
    assert Signature.objects.count() == 0
    assert SpentChallenge.objects.count() == 0


def test_without_javascript_a_person_still_signs_under_a_stricter_address_limit(
    client, petition, settings
):
    settings.SIGNATURE_RATE_LIMIT = 20
    settings.SIGNATURE_RATE_LIMIT_UNSOLVED = 2

    for number in range(3):
        response = _sign(client, petition, f"person{number}@example.org")
        assert response.status_code == 302
    solved = _sign(client, petition, "solver@example.org", captcha=_solution(client))
    assert solved.status_code == 302

    statuses = list(Signature.objects.order_by("created_at").values_list("status", flat=True))
    assert statuses == ["pending", "pending", "flagged", "pending"]


def test_without_javascript_a_comment_waits_for_a_moderator(client, petition, settings):
    settings.COMMENT_FLOOD_SECONDS = 0
    ModerationSettings.objects.update_or_create(
        pk=1, defaults={"hold": ModerationSettings.Hold.FIRST_TIME}
    )
    make_comment(petition, email="regular@example.org")
    url = f"/en/petitions/{petition.slug}/comment/"

    client.post(url, comment_data(email="regular@example.org", text="Without a solution."))
    client.post(
        url,
        comment_data(
            email="regular@example.org", text="With a solution.", captcha=_solution(client)
        ),
    )

    assert dict(Comment.objects.values_list("text", "status")) == {
        "A comment.": "approved",
        "Without a solution.": "pending",
        "With a solution.": "approved",
    }


def test_the_database_refuses_a_challenge_spent_twice(db):
    expires = timezone.now() + timedelta(minutes=5)
    SpentChallenge.objects.create(nonce="abc", expires_at=expires)

    with pytest.raises(IntegrityError):
        SpentChallenge.objects.create(nonce="abc", expires_at=expires)


def test_spending_forgets_expired_challenges(db):
    now = datetime.now(UTC)
    assert SpentChallenge.objects.spend("old", now - timedelta(seconds=1))
    assert SpentChallenge.objects.spend("new", now + timedelta(minutes=5))
    assert not SpentChallenge.objects.spend("new", now + timedelta(minutes=5))

    assert list(SpentChallenge.objects.values_list("nonce", flat=True)) == ["new"]


def test_the_challenge_endpoint_exists_only_with_altcha(client, settings, db):
    for other in ("off", "recaptcha"):
        settings.CAPTCHA = other
        assert client.get("/captcha/challenge/").status_code == 404


def test_spending_inside_a_callers_transaction_leaves_its_durability_alone(db):
    from django.db import connection

    SpentChallenge.objects.spend("inside", timezone.now() + timedelta(minutes=5))

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)
