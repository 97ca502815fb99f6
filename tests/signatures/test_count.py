"""The public count: confirmed, valid signatures only, cached a few seconds, plural-correct."""

import pytest
from django.template import Context, Template
from django.utils import translation

from signatures.counting import public_count, recent_public_signers
from tests.factories import make_petition, make_signature


def test_only_confirmed_signatures_count(petition):
    for number, status in enumerate(
        ["confirmed", "confirmed", "pending", "flagged", "invalidated", "withdrawn"]
    ):
        make_signature(petition, email=f"s{number}@example.org", status=status)

    assert public_count(petition) == 2


def test_the_count_is_per_petition(petition, db):
    other = make_petition()
    make_signature(petition, status="confirmed")
    make_signature(other, status="confirmed")

    assert public_count(petition) == 1


def test_the_count_is_cached_briefly_not_recomputed_per_request(
    petition, django_assert_num_queries
):
    make_signature(petition, status="confirmed")
    assert public_count(petition) == 1
    make_signature(petition, email="late@example.org", status="confirmed")

    with django_assert_num_queries(0):
        assert public_count(petition) == 1


@pytest.mark.parametrize(
    ("count", "russian", "english"),
    [
        (0, "<strong>0</strong> подписей", "<strong>0</strong> signatures"),
        (1, "<strong>1</strong> подпись", "<strong>1</strong> signature"),
        (2, "<strong>2</strong> подписи", "<strong>2</strong> signatures"),
        (5, "<strong>5</strong> подписей", "<strong>5</strong> signatures"),
        (11, "<strong>11</strong> подписей", "<strong>11</strong> signatures"),
        (21, "<strong>21</strong> подпись", "<strong>21</strong> signatures"),
        (22, "<strong>22</strong> подписи", "<strong>22</strong> signatures"),
        (112, "<strong>112</strong> подписей", "<strong>112</strong> signatures"),
        (1001, "<strong>1\xa0001</strong> подпись", "<strong>1,001</strong> signatures"),
    ],
)
def test_the_counter_uses_correct_plurals(petition, count, russian, english):
    petition.close()  # a closed petition shows its count even at zero
    with translation.override("ru"):
        assert russian in _counter(petition, count)
    with translation.override("en"):
        assert english in _counter(petition, count)


def _counter(petition, count):
    template = Template("{% load signatures %}{% signature_counter petition count %}")
    return template.render(Context({"petition": petition, "count": count}))


@pytest.mark.parametrize(
    ("count", "next_goal"),
    [
        (1, "Следующая цель: 100 подписей"),
        (100, "Следующая цель: 500 подписей"),
        (4999, "Следующая цель: 5\xa0000 подписей"),
    ],
)
def test_the_next_goal_and_the_goal_read_right_in_russian(db, count, next_goal):
    from tests.factories import make_petition

    petition = make_petition(goal=10000)
    with translation.override("ru"):
        html = _counter(petition, count)

    assert next_goal in html
    assert "Цель: 10\xa0000 подписей" in html


@pytest.mark.parametrize(
    ("milestones", "goal", "expected"),
    [
        ("1", 10, "Следующая цель: 1 подпись"),
        ("2", 10, "Следующая цель: 2 подписи"),
        ("21", 100, "Следующая цель: 21 подпись"),
        ("5", 10, "Следующая цель: 5 подписей"),
    ],
)
def test_a_custom_next_goal_agrees_with_its_number_in_russian(db, milestones, goal, expected):
    from tests.factories import make_petition

    petition = make_petition(goal=goal, milestones=milestones)
    with translation.override("ru"):
        assert expected in _counter(petition, 0)


def test_past_the_last_milestone_only_the_goal_is_named(db):
    from tests.factories import make_petition

    with translation.override("ru"):
        html = _counter(make_petition(goal=10000), 6000)

    assert "Следующая цель" not in html
    assert "Цель: 10\xa0000 подписей" in html
    assert '<progress class="counter__bar" max="10000" value="6000"' in html


def test_at_zero_the_counter_invites_instead_of_showing_an_empty_bar(petition):
    with translation.override("ru"):
        html = _counter(petition, 0)

    assert "Ваша подпись может стать первой." in html
    assert "<progress" not in html
    assert "Цель: 100 подписей" in html


def test_a_reached_goal_is_said_and_the_bar_is_full(petition):
    with translation.override("ru"):
        html = _counter(petition, 120)

    assert "Цель достигнута. Каждая новая подпись делает петицию весомее." in html
    assert '<progress class="counter__bar" max="100" value="100"' in html


def test_the_progress_bar_measures_toward_the_next_milestone(client, db):
    from tests.factories import make_petition

    petition = make_petition(slug="big", goal=10000)
    for number in range(3):
        make_signature(petition, email=f"s{number}@example.org", status="confirmed")

    html = client.get(f"/en/petitions/{petition.slug}/").content.decode()

    assert '<progress class="counter__bar" max="100" value="3"' in html
    assert "Next goal: 100 signatures" in html
    assert "Goal: 10,000 signatures" in html


def test_recent_signers_show_only_those_who_chose_it_as_first_name_and_initial(client, petition):
    make_signature(
        petition, email="a@example.org", name="Aigul Mamatova", status="confirmed", show_name=True
    )
    make_signature(petition, email="b@example.org", name="Hidden Person", status="confirmed")
    make_signature(
        petition, email="c@example.org", name="Pending Person", status="pending", show_name=True
    )

    assert recent_public_signers(petition) == [("Aigul M.", "bishkek")]
    html = client.get(f"/ru/petitions/{petition.slug}/").content.decode()
    assert "Aigul M., Бишкек" in html
    assert "Mamatova" not in html
    assert "Hidden" not in html
    assert "Pending" not in html


def test_the_count_endpoint_is_json_with_a_short_public_cache(client, petition):
    make_signature(petition, status="confirmed")

    response = client.get(f"/petitions/{petition.slug}/count.json")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=5, s-maxage=5"
    data = response.json()
    assert data["confirmed_count"] == 1
    assert data["goal"] == 100
    assert data["is_open"] is True
    assert set(data) == {
        "slug",
        "confirmed_count",
        "paper_count",
        "goal",
        "is_open",
        "generated_at",
        "count",
    }


def test_both_json_documents_name_the_same_figures_alike(client, petition):
    make_signature(petition, status="confirmed")

    count = client.get(f"/petitions/{petition.slug}/count.json").json()
    detail = client.get(f"/en/petitions/{petition.slug}.json").json()

    shared = {"slug", "confirmed_count", "goal", "is_open", "generated_at"}
    assert {key: count[key] for key in shared - {"generated_at"}} == {
        key: detail[key] for key in shared - {"generated_at"}
    }
    assert shared <= set(detail)


def test_the_old_names_still_answer_for_one_release(client, petition):
    make_signature(petition, status="confirmed")

    count = client.get(f"/petitions/{petition.slug}/count.json").json()
    detail = client.get(f"/en/petitions/{petition.slug}.json").json()

    assert count["count"] == count["confirmed_count"] == 1
    assert detail["updated_at"] == detail["generated_at"]


def test_the_count_endpoint_hides_drafts(client, db):
    draft = make_petition(status="draft")

    assert client.get(f"/petitions/{draft.slug}/count.json").status_code == 404
