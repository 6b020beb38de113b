"""load_knowledge_base: validate everything first, then upsert in one transaction."""

import pytest
import yaml
from django.core.management import CommandError, call_command

from screening.knowledge.loading import load_knowledge_base
from screening.models import (
    Ingredient,
    KnowledgeBaseVersion,
    Product,
    SupplementCaution,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_knowledge_base(db, settings):
    # These tests load their own small knowledge base into an empty one. Clearing the
    # curated one without history rows keeps this fast; the test transaction restores it.
    settings.SIMPLE_HISTORY_ENABLED = False
    for model in (SupplementCaution, Product, Ingredient, KnowledgeBaseVersion):
        model.objects.all().delete()
    settings.SIMPLE_HISTORY_ENABLED = True


def _history_rows() -> int:
    return Ingredient.history.count() + Product.history.count()


def test_it_loads_a_valid_knowledge_base_and_records_a_version(minimal_kb):
    report = load_knowledge_base(minimal_kb, include_external=False)

    assert report.version_is_new
    assert report.version.content_hash
    assert report.version.version.startswith(report.version.created.date().isoformat())
    product = Product.objects.get(name="co-amilofruse")
    assert sorted(i.name for i in product.ingredients.all()) == ["amiloride", "furosemide"]
    assert list(
        Ingredient.objects.get(name="furosemide").classes.values_list("slug", flat=True)
    ) == ["loop_diuretic"]


def test_loading_twice_changes_nothing(minimal_kb):
    load_knowledge_base(minimal_kb, include_external=False)
    versions, history = KnowledgeBaseVersion.objects.count(), _history_rows()

    report = load_knowledge_base(minimal_kb, include_external=False)

    assert not report.changed
    assert not report.version_is_new
    assert KnowledgeBaseVersion.objects.count() == versions
    assert _history_rows() == history


def test_a_changed_file_makes_a_new_version_and_updates_only_that_entry(minimal_kb):
    first = load_knowledge_base(minimal_kb, include_external=False).version
    path = minimal_kb / "ingredients" / "test.yaml"
    entries = yaml.safe_load(path.read_text())
    entries[0]["synonyms"] = ["frusemide", "furosemid"]
    path.write_text(yaml.safe_dump(entries))

    report = load_knowledge_base(minimal_kb, include_external=False)

    assert report.version_is_new and report.version.content_hash != first.content_hash
    assert report.updated["ingredients"] == 1
    assert Ingredient.objects.get(name="furosemide").synonyms == ["frusemide", "furosemid"]


def test_an_entry_removed_from_the_files_is_removed_from_the_database(minimal_kb):
    load_knowledge_base(minimal_kb, include_external=False)
    (minimal_kb / "products" / "test.yaml").write_text(
        yaml.safe_dump([{"name": "Lasix", "ingredients": ["furosemide"]}])
    )

    load_knowledge_base(minimal_kb, include_external=False)

    assert not Product.objects.filter(name="co-amilofruse").exists()


@pytest.mark.parametrize(
    ("relative", "mutate", "expected"),
    [
        (
            "products/test.yaml",
            lambda e: e[1]["ingredients"].append("amilorid"),
            "products/test.yaml entry #2 (co-amilofruse): ingredients: unknown ingredients "
            "entry 'amilorid'",
        ),
        (
            "supplement_cautions.yaml",
            lambda e: e[0].__setitem__("references", []),
            "supplement_cautions.yaml entry #1 (potassium_with_potassium_sparing_diuretic): "
            "references: List should have at least 1 item",
        ),
        (
            "products/test.yaml",
            lambda e: e.append({"name": "Frusemide", "ingredients": ["amiloride"]}),
            "products/test.yaml entry #3 (Frusemide): name 'Frusemide' is read the same as "
            "'furosemide' (ingredients/test.yaml entry #1), a different medicine",
        ),
        (
            "supplement_cautions.yaml",
            lambda e: e[0].__setitem__("severity", "severe"),
            "severity: Input should be 'critical', 'warning' or 'info'",
        ),
        (
            "ingredients/test.yaml",
            lambda e: e[0].__setitem__("atc", ["C3CA1"]),
            "ingredients/test.yaml entry #1 (furosemide): atc.0: String should match pattern",
        ),
        (
            "drug_classes.yaml",
            lambda e: e[0].__setitem__("colour", "blue"),
            "drug_classes.yaml entry #1 (loop_diuretic): colour: Extra inputs are not permitted",
        ),
    ],
    ids=[
        "unknown-ingredient",
        "caution-without-reference",
        "duplicate-name",
        "bad-severity",
        "bad-atc",
        "unknown-field",
    ],
)
def test_a_bad_file_is_rejected_naming_file_and_entry_and_nothing_changes(
    minimal_kb, relative, mutate, expected
):
    load_knowledge_base(minimal_kb, include_external=False)
    before = (KnowledgeBaseVersion.objects.count(), _history_rows(), Product.objects.count())
    path = minimal_kb / relative
    entries = yaml.safe_load(path.read_text())
    mutate(entries)
    path.write_text(yaml.safe_dump(entries))

    with pytest.raises(CommandError) as raised:
        call_command("load_knowledge_base", directory=minimal_kb, no_external=True)

    assert expected in str(raised.value)
    assert "database is unchanged" in str(raised.value)
    assert (
        KnowledgeBaseVersion.objects.count(),
        _history_rows(),
        Product.objects.count(),
    ) == before


def test_a_file_that_is_not_yaml_is_rejected_by_name(minimal_kb):
    (minimal_kb / "red_flags.yaml").write_text("- code: [unclosed\n")

    with pytest.raises(CommandError, match=r"red_flags\.yaml: not valid YAML"):
        call_command("load_knowledge_base", directory=minimal_kb, no_external=True)
    assert not KnowledgeBaseVersion.objects.exists()


def test_a_failure_midway_rolls_back_everything(minimal_kb, monkeypatch):
    from screening.knowledge import loading

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loading, "_sync_translations", explode)
    with pytest.raises(RuntimeError):
        load_knowledge_base(minimal_kb, include_external=False)

    assert not Ingredient.objects.exists()
    assert not KnowledgeBaseVersion.objects.exists()


def test_if_changed_skips_files_already_loaded_so_admin_edits_survive_a_restart(minimal_kb):
    load_knowledge_base(minimal_kb, include_external=False)
    Ingredient.objects.filter(name="furosemide").update(rxcui="999")

    report = load_knowledge_base(minimal_kb, include_external=False, only_if_files_changed=True)

    assert report.skipped
    assert Ingredient.objects.get(name="furosemide").rxcui == "999"


def test_the_open_vocabulary_adds_long_tail_names_without_overriding_curated_ones(minimal_kb):
    from screening.models import ExternalDrugName

    load_knowledge_base(minimal_kb, include_external=True)

    assert ExternalDrugName.objects.count() > 10_000
    assert ExternalDrugName.objects.get(name="tylenol").ingredients == ["acetaminophen"]
    # Curated names are never duplicated in the open vocabulary.
    assert not ExternalDrugName.objects.filter(
        name__in=["lasix", "furosemide", "frusemide"]
    ).exists()
    # A brand of a curated ingredient points at the curated name, so it gets the class.
    assert ExternalDrugName.objects.filter(ingredients=["furosemide"]).exists()
    # A brand meaning different medicines in different markets is never guessed at.
    assert not ExternalDrugName.objects.filter(name="triatec").exists()


def test_a_name_listed_as_ambiguous_cannot_also_be_defined(minimal_kb):
    path = minimal_kb / "ambiguous_names.yaml"
    path.write_text(yaml.safe_dump([{"name": "Lasix", "reason": "test"}]))

    with pytest.raises(
        CommandError,
        match=r"'Lasix' is listed as ambiguous but also defined by 'Lasix' \(products/test\.yaml",
    ):
        call_command("load_knowledge_base", directory=minimal_kb, no_external=True)


def test_two_names_read_alike_for_different_medicines_are_refused_naming_both(minimal_kb):
    # "ToprolXL" and "Toprol-XL" have the same name key: the engine would read one as the other
    path = minimal_kb / "products" / "test.yaml"
    entries = yaml.safe_load(path.read_text())
    entries += [
        {"name": "Toprol-XL", "ingredients": ["amiloride"]},
        {"name": "ToprolXL", "ingredients": ["furosemide"]},
    ]
    path.write_text(yaml.safe_dump(entries))

    with pytest.raises(CommandError) as raised:
        call_command("load_knowledge_base", directory=minimal_kb, no_external=True)

    assert (
        "products/test.yaml entry #4 (ToprolXL): name 'ToprolXL' is read the same as "
        "'Toprol-XL' (products/test.yaml entry #3), a different medicine"
    ) in str(raised.value)
    assert not KnowledgeBaseVersion.objects.exists()


def test_two_spellings_of_one_medicine_load_with_a_warning_to_merge_them(minimal_kb):
    path = minimal_kb / "products" / "test.yaml"
    entries = yaml.safe_load(path.read_text())
    entries += [
        {"name": "Micardis Plus", "ingredients": ["furosemide"]},
        {"name": "MicardisPlus", "ingredients": ["furosemide"]},
    ]
    path.write_text(yaml.safe_dump(entries))

    report = load_knowledge_base(minimal_kb, include_external=False)

    assert report.version is not None
    assert any("'MicardisPlus' repeats 'Micardis Plus'" in w for w in report.warnings)


def test_the_curated_files_have_no_names_to_merge(settings):
    from screening.knowledge.files import read_knowledge_base
    from screening.knowledge.validation import validate_knowledge_base

    checked = validate_knowledge_base(read_knowledge_base(settings.KNOWLEDGE_BASE_DIR))

    assert checked.warnings == []


def test_a_patient_text_missing_in_a_handout_language_is_refused(minimal_kb):
    path = minimal_kb / "translations" / "es.yaml"
    translations = yaml.safe_load(path.read_text())
    del translations["supplement_cautions"]
    path.write_text(yaml.safe_dump(translations, allow_unicode=True))

    with pytest.raises(CommandError) as raised:
        call_command("load_knowledge_base", directory=minimal_kb, no_external=True)

    assert (
        "supplement_cautions.yaml entry #1 (potassium_with_potassium_sparing_diuretic): "
        "patient_text has no 'es' wording (translations/es.yaml)"
    ) in str(raised.value)
    assert not KnowledgeBaseVersion.objects.exists()


def test_a_translation_of_an_entry_that_does_not_exist_is_refused(minimal_kb):
    path = minimal_kb / "translations" / "es.yaml"
    translations = yaml.safe_load(path.read_text())
    translations["red_flags"]["no_such_flag"] = {"patient_text": "Nada."}
    path.write_text(yaml.safe_dump(translations, allow_unicode=True))

    with pytest.raises(CommandError, match="translations/es.yaml: red_flags 'no_such_flag'"):
        call_command("load_knowledge_base", directory=minimal_kb, no_external=True)


def test_each_languages_wording_is_loaded_and_reaches_the_engine(minimal_kb):
    from screening.knowledge.snapshot import snapshot_from_database

    load_knowledge_base(minimal_kb, include_external=False)

    snapshot = snapshot_from_database()
    caution = snapshot["supplement_cautions"][0]
    assert caution["translations"]["es"]["patient_text"].startswith("No tome potasio")
    furosemide = next(i for i in snapshot["ingredients"] if i["name"] == "furosemide")
    assert furosemide["translations"]["es"] == {"name": "furosemida"}
