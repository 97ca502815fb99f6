"""In development (`make run`), emails print to the console as they read, links whole."""

import io

from django.core.mail import EmailMultiAlternatives

from petition_site.mail import ReadableConsoleBackend

LINK = (
    "http://127.0.0.1:8000/ru/signatures/confirm/MQ:1xYk17:O1PxX3Bu3tMnGS6qR3TWUM0GJGdsRwV7H_MiHy/"
)
TEXT = (
    "Здравствуйте!\n\n"
    f"Чтобы подтвердить подпись под петицией, откройте ссылку и нажмите кнопку: {LINK}\n"
)


def _email():
    email = EmailMultiAlternatives(
        "Подтвердите адрес", TEXT, "Подтверждение <petition@localhost>", ["aigul@example.org"]
    )
    email.attach_alternative(f'<p>Здравствуйте! <a href="{LINK}">Подтвердить</a></p>', "text/html")
    email.attach("signers.csv", "имя,город\nАйгүл,Бишкек\n", "text/csv")
    return email


def test_a_russian_email_prints_as_it_reads():
    printed = io.StringIO()

    ReadableConsoleBackend(stream=printed).send_messages([_email()])

    output = printed.getvalue()
    assert "Subject: Подтвердите адрес\n" in output
    assert "From: Подтверждение <petition@localhost>\n" in output
    assert TEXT in output
    assert f'<a href="{LINK}">Подтвердить</a>' in output
    assert 'filename="signers.csv"' in output
    assert "base64" not in output
    assert "quoted-printable" not in output


def test_what_is_sent_is_unchanged():
    email = _email()

    ReadableConsoleBackend(stream=io.StringIO()).send_messages([email])

    sent = email.message()
    assert sent.get_body(("plain",))["Content-Transfer-Encoding"] == "base64"
    assert sent.get_body(("plain",)).get_content() == TEXT
    assert sent["Subject"] == "Подтвердите адрес"
    assert b"Subject: =?utf-8?" in sent.as_bytes()
