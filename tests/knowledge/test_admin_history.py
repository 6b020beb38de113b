"""Admin: edits are kept with who, when and what; severity belongs to a named group."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission

from screening.models import Ingredient, KnowledgeBaseVersion, SupplementCaution, Translation

pytestmark = pytest.mark.django_db

# The inline of each handout language's wording, under every translated entry.
TRANSLATIONS = "screening-translation-content_type-object_id"


def _translations_unchanged() -> dict:
    return {f"{TRANSLATIONS}-TOTAL_FORMS": "0", f"{TRANSLATIONS}-INITIAL_FORMS": "0"}


@pytest.fixture
def staff_pharmacist(pharmacist):
    pharmacist.is_staff = True
    pharmacist.save()
    pharmacist.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="screening", codename__startswith=("change_")
        )
        | Permission.objects.filter(
            content_type__app_label="screening", codename__startswith="view_"
        )
    )
    return pharmacist


def _ingredient_form(ingredient: Ingredient, **changes) -> dict:
    data = {
        "name": ingredient.name,
        "synonyms": '["frusemide", "furosemid"]',
        "salts": "[]",
        "rxcui": ingredient.rxcui,
        "atc": '["C03CA01"]',
        "classes": [c.pk for c in ingredient.classes.all()],
        "routes": "[]",
        **_translations_unchanged(),
    }
    data.update(changes)
    return data


def test_an_admin_edit_is_kept_in_history_with_who_and_what(
    client, staff_pharmacist, knowledge_base
):
    furosemide = Ingredient.objects.get(name="furosemide")
    client.force_login(staff_pharmacist)

    response = client.post(
        f"/admin/screening/ingredient/{furosemide.pk}/change/", _ingredient_form(furosemide)
    )

    assert response.status_code == 302, response.content[:2000]
    latest = furosemide.history.first()
    assert latest.history_user == staff_pharmacist
    assert latest.synonyms == ["frusemide", "furosemid"]
    assert latest.history_type == "~"
    history_page = client.get(f"/admin/screening/ingredient/{furosemide.pk}/history/")
    assert history_page.status_code == 200 and b"alice" in history_page.content


def test_an_admin_edit_makes_a_new_knowledge_base_version(client, staff_pharmacist, knowledge_base):
    furosemide = Ingredient.objects.get(name="furosemide")
    client.force_login(staff_pharmacist)

    client.post(
        f"/admin/screening/ingredient/{furosemide.pk}/change/", _ingredient_form(furosemide)
    )

    latest = KnowledgeBaseVersion.objects.order_by("-created", "-id").first()
    assert latest != knowledge_base
    assert "admin edit by alice" in latest.source


def test_severity_is_read_only_outside_the_severity_editors_group(
    client, staff_pharmacist, knowledge_base
):
    caution = SupplementCaution.objects.order_by("key").first()
    client.force_login(staff_pharmacist)

    page = client.get(f"/admin/screening/supplementcaution/{caution.pk}/change/")
    assert b'name="severity"' not in page.content

    Group.objects.get_or_create(name=settings.SEVERITY_EDITORS_GROUP)[0].user_set.add(
        staff_pharmacist
    )
    page = client.get(f"/admin/screening/supplementcaution/{caution.pk}/change/")
    assert b'name="severity"' in page.content


def test_pharmacists_can_search_the_knowledge_base(client, staff_pharmacist, knowledge_base):
    client.force_login(staff_pharmacist)

    response = client.get("/admin/screening/product/", {"q": "Zestoretic"})

    assert response.status_code == 200
    assert b"Zestoretic" in response.content


def test_each_languages_wording_is_edited_under_its_entry_with_history(
    client, staff_pharmacist, knowledge_base
):
    # given a caution and its Spanish wording
    caution = SupplementCaution.objects.get(key="potassium_with_ace_inhibitor")
    spanish = caution.translations.get(language="es", field="patient_text")
    client.force_login(staff_pharmacist)
    page = client.get(f"/admin/screening/supplementcaution/{caution.pk}/change/")
    assert spanish.text.encode() in page.content

    # when the pharmacist corrects the Spanish wording in the admin
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["references"] = [r.pk for r in caution.references.all()]
    rows = list(caution.translations.order_by("pk"))
    data |= {
        f"{TRANSLATIONS}-TOTAL_FORMS": str(len(rows)),
        f"{TRANSLATIONS}-INITIAL_FORMS": str(len(rows)),
    }
    for n, row in enumerate(rows):
        text = "Pregunte a su médico antes de tomar potasio." if row.pk == spanish.pk else row.text
        data |= {
            f"{TRANSLATIONS}-{n}-id": row.pk,
            f"{TRANSLATIONS}-{n}-field": row.field,
            f"{TRANSLATIONS}-{n}-language": row.language,
            f"{TRANSLATIONS}-{n}-text": text,
        }
    response = client.post(f"/admin/screening/supplementcaution/{caution.pk}/change/", data)

    # then the new wording is stored with who changed it, and a new version is recorded
    assert response.status_code == 302, response.content[:3000]
    spanish.refresh_from_db()
    assert spanish.text == "Pregunte a su médico antes de tomar potasio."
    assert spanish.history.first().history_user == staff_pharmacist
    latest = KnowledgeBaseVersion.objects.order_by("-created", "-id").first()
    assert latest != knowledge_base
    assert Translation.objects.filter(language="es").count() > 100
