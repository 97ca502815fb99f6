"""decide_status: one rule at a time, as organizers set them in admin."""

import pytest

from signatures import privacy
from signatures.models import Comment, ModerationSettings
from signatures.moderation import count_links, decide_status
from tests.factories import make_comment

PENDING = Comment.Status.PENDING
APPROVED = Comment.Status.APPROVED
SPAM = Comment.Status.SPAM


def _comment(petition, text="Thank you for this petition.", email="", name="Aigul"):
    return Comment(
        petition=petition,
        text=text,
        author_name=name,
        email_hash=privacy.email_hash(email) if email else "",
    )


@pytest.fixture
def rules(db):
    return ModerationSettings(hold=ModerationSettings.Hold.FIRST_TIME)


def test_by_default_every_comment_is_held(petition):
    make_comment(petition, email="known@example.org")

    assert ModerationSettings().hold == ModerationSettings.Hold.EVERY
    assert decide_status(_comment(petition, email="known@example.org"), ModerationSettings()) == (
        PENDING
    )


def test_first_time_commenters_are_held(petition, rules):
    assert decide_status(_comment(petition, email="new@example.org"), rules) == PENDING


def test_a_commenter_with_an_approved_comment_is_approved_at_once(petition, rules):
    make_comment(petition, email="Known@Example.org")

    assert decide_status(_comment(petition, email="known@example.org"), rules) == APPROVED


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_a_commenter_whose_comments_were_not_approved_is_still_held(petition, rules, status):
    make_comment(petition, email="known@example.org", status=status)

    assert decide_status(_comment(petition, email="known@example.org"), rules) == PENDING


def test_a_commenter_without_an_email_is_always_held(petition, rules):
    make_comment(petition, author_name="Aigul")

    assert decide_status(_comment(petition, name="Aigul"), rules) == PENDING


def test_two_links_hold_a_comment_even_from_a_known_commenter(petition, rules):
    make_comment(petition, email="known@example.org")
    text = "See https://one.example/a and www.two.example for more."

    assert decide_status(_comment(petition, text=text, email="known@example.org"), rules) == (
        PENDING
    )


def test_one_link_does_not_hold_a_known_commenter(petition, rules):
    make_comment(petition, email="known@example.org")
    text = "The law's text: https://one.example/law"

    assert decide_status(_comment(petition, text=text, email="known@example.org"), rules) == (
        APPROVED
    )


def test_organizers_set_how_many_links_hold_a_comment(petition, rules):
    make_comment(petition, email="known@example.org")
    rules.max_links = 1

    text = "The law's text: https://one.example/law"
    assert decide_status(_comment(petition, text=text, email="known@example.org"), rules) == (
        PENDING
    )


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("no links here, just words. And sentences.", 0),
        ("http://a.example", 1),
        ("https://a.example/path?x=1 and HTTPS://B.EXAMPLE", 2),
        ("www.a.example, www.b.example", 2),
        ("shop.com and pills.ru/buy and сайт.рф", 3),
        ("https://www.a.com/www.b.com counts once", 1),
    ],
)
def test_links_are_counted_however_they_are_written(text, links):
    assert count_links(text) == links


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "They are all CORRUPT, every one."),
        ("text", "coRRuption everywhere"),
        ("author_name", "Corrupt Watcher"),
    ],
)
def test_a_hold_word_in_name_or_text_holds_the_comment(petition, rules, field, value):
    make_comment(petition, email="known@example.org")
    rules.hold_words = "\n  corrupt  \n\n"
    comment = _comment(petition, email="known@example.org")
    setattr(comment, field, value)

    assert decide_status(comment, rules) == PENDING


def test_hold_words_are_one_per_line_and_may_be_phrases(petition, rules):
    make_comment(petition, email="known@example.org")
    rules.hold_words = "the minister\nbribe"

    def status(text):
        return decide_status(_comment(petition, text=text, email="known@example.org"), rules)

    assert status("Ask THE MINISTER directly") == PENDING
    assert status("The ministry and the minister's office") == PENDING
    assert status("A minister alone is fine") == APPROVED


def test_a_block_word_sends_the_comment_to_spam(petition, rules):
    rules.block_words = "casino"
    rules.hold_words = "casino"

    assert decide_status(_comment(petition, text="Best online Casino!"), rules) == SPAM


@pytest.mark.parametrize(
    "hold", [ModerationSettings.Hold.EVERY, ModerationSettings.Hold.FIRST_TIME]
)
def test_a_block_word_wins_over_a_known_commenter(petition, hold):
    make_comment(petition, email="known@example.org")
    rules = ModerationSettings(hold=hold, block_words="casino")

    comment = _comment(petition, text="casino", email="known@example.org")
    assert decide_status(comment, rules) == SPAM


def test_empty_word_lists_hold_and_block_nothing(petition, rules):
    make_comment(petition, email="known@example.org")
    rules.hold_words = rules.block_words = "\n \n"

    assert decide_status(_comment(petition, email="known@example.org"), rules) == APPROVED
