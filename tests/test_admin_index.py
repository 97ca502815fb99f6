"""The admin's front page, as an organizer reads it in Russian."""

import re


def test_the_campaign_comes_first_and_every_section_has_a_russian_name(organizer_client):
    html = organizer_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    sections = re.findall(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>([^<]+)</a>', html)
    assert sections[:2] == ["Кампания", "Подписи и комментарии"]
    assert sorted(sections[2:]) == sections[2:]
    for name in (
        "Попытки входа",
        "Второй фактор: приложения-аутентификаторы",
        "Второй фактор: резервные коды",
        "Фоновые задачи",
        "Пользователи и группы",
    ):
        assert name in sections
    assert not [name for name in sections if re.search(r"[A-Za-z]", name)]
