from itertools import count

from petitions.models import Petition, Update
from tests.html import form_data

_numbers = count(1)


def make_petition(**fields):
    number = next(_numbers)
    fields.setdefault("slug", f"petition-{number}")
    fields.setdefault("title_en", f"Petition {number}")
    fields.setdefault("status", Petition.Status.OPEN)
    return Petition.objects.create(**fields)


def sign_data(**overrides):
    """What a person fills into the sign form."""
    data = {
        "name": "Aigul Mamatova",
        "email": "aigul@example.org",
        "region": "bishkek",
        "privacy": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_signature(petition, email="signer@example.org", **fields):
    from signatures import privacy
    from signatures.models import Signature

    fields.setdefault("name", "Test Signer")
    fields.setdefault("region", "bishkek")
    fields.setdefault("language", "en")
    if fields.get("status") == Signature.Status.CONFIRMED:
        from django.utils import timezone

        fields.setdefault("confirmed_at", timezone.now())
    from signatures import counting

    signature = Signature.objects.create(
        petition=petition,
        email_encrypted=privacy.encrypt(email),
        email_hash=privacy.email_hash(email),
        **fields,
    )
    # Counted as the signing flow counts what it inserts.
    counting.signed(signature)
    return signature


def comment_data(**overrides):
    """What a person fills into the comment form."""
    data = {"text": "I signed and I hope they listen.", "author_name": "Aigul"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_comment(petition, text="A comment.", **fields):
    """A stored comment, approved unless told otherwise."""
    from django.utils import timezone

    from signatures import privacy
    from signatures.models import Comment

    email = fields.pop("email", "")
    if email:
        fields.setdefault("email_hash", privacy.email_hash(email))
        if fields.get("notify_replies"):
            fields.setdefault("email_encrypted", privacy.encrypt(email))
    fields.setdefault("status", Comment.Status.APPROVED)
    fields.setdefault("author_name", "" if fields.get("is_organizer") else "Commenter")
    fields.setdefault("language", "en")
    if fields["status"] != Comment.Status.PENDING:
        fields.setdefault("moderated_at", timezone.now())
    return Comment.objects.create(petition=petition, text=text, **fields)


def make_organization(**fields):
    from petitions.models import Organization

    fields.setdefault("name_en", "Example Network")
    return Organization.objects.create(**fields)


def image_file(size=(600, 300), image_format="PNG", name="logo.png", color=(122, 31, 61)):
    """An uploaded image as a browser sends it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def make_mailing(petition, **fields):
    """A draft mailing in both languages."""
    from signatures.models import Mailing

    fields.setdefault("subject_en", "News from the campaign")
    fields.setdefault("subject_ru", "Новости кампании")
    fields.setdefault("body_en", "We delivered the signatures.")
    fields.setdefault("body_ru", "Мы передали подписи.")
    return Mailing.objects.create(petition=petition, **fields)


def make_recipient(petition, email, **fields):
    """A confirmed signer who asked for updates."""
    from signatures.models import Signature

    fields.setdefault("status", Signature.Status.CONFIRMED)
    fields.setdefault("wants_updates", True)
    return make_signature(petition, email=email, **fields)


def post_update_draft(client, petition):
    """An update written in admin and saved as a draft, as an organizer does it."""
    add = "/admin/petitions/update/add/"
    data = form_data(client.get(add).content.decode())
    data.update(
        petition=petition.pk,
        status="draft",
        title_ru="Мы передали подписи в Жогорку Кенеш",
        title_en="We handed the signatures to the Jogorku Kenesh",
        text_ru="Спасибо всем, кто подписал петицию.\n\nЭто только начало.",
        text_en="Thank you to everyone who signed.\n\nThis is only the start.",
    )
    assert client.post(add, data).status_code == 302
    return Update.objects.get()


def publish_update(client, update):
    """`update` set to published in admin."""
    url = f"/admin/petitions/update/{update.pk}/change/"
    data = form_data(client.get(url).content.decode())
    assert client.post(url, {**data, "status": "published"}).status_code == 302
    update.refresh_from_db()
    return update
