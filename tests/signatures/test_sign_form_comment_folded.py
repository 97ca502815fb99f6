"""The optional comment on signing is folded away, and unfolds when it holds text or an error."""

import re

from signatures.models import COMMENT_MAX_LENGTH
from tests.factories import sign_data


def _details(html):
    return re.search(r'<details class="field-more"[^>]*>', html).group(0)


def test_the_empty_form_folds_the_comment_under_a_translated_summary(client, petition):
    html = client.get(f"/ru/petitions/{petition.slug}/").content.decode()

    assert _details(html) == '<details class="field-more">'
    assert "<summary>Добавить комментарий (необязательно)</summary>" in html
    assert '<textarea name="comment"' in html


def test_a_comment_with_an_error_is_shown_unfolded(client, petition):
    response = client.post(
        f"/en/petitions/{petition.slug}/sign/",
        sign_data(comment="x" * (COMMENT_MAX_LENGTH + 1), privacy=None),
    )

    assert response.status_code == 400
    assert _details(response.content.decode()) == '<details class="field-more" open>'


def test_a_comment_sent_back_with_another_fields_error_stays_unfolded(client, petition):
    response = client.post(
        f"/en/petitions/{petition.slug}/sign/", sign_data(comment="Count me in", privacy=None)
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert _details(html) == '<details class="field-more" open>'
    assert "Count me in</textarea>" in html
