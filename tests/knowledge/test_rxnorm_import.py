"""Importing an RxNorm release: product codes and NDCs then read as their ingredients."""

import shutil
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from screening.knowledge.rxnorm_files import find_release, validate
from screening.models import KnowledgeBaseVersion, RxNormConcept, RxNormNdc, RxNormRelease

SAMPLE = Path(__file__).parent / "rxnorm_sample"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
NDC = "http://hl7.org/fhir/sid/ndc"


def _release_zip(directory: Path, name: str = "RxNorm_full_11032025.zip") -> Path:
    """The sample packed as NLM ships a release: RxNorm_full_MMDDYYYY.zip with rrf/."""
    path = directory / name
    with zipfile.ZipFile(path, "w") as archive:
        for rrf in (SAMPLE / "rrf").iterdir():
            archive.write(rrf, f"rrf/{rrf.name}")
    return path


def _ingredients(rxcui: str) -> list[str]:
    return [name for _, name in RxNormConcept.objects.get(rxcui=rxcui).ingredients]


@pytest.fixture
def imported(knowledge_base, tmp_path):
    call_command("import_rxnorm", _release_zip(tmp_path), verbosity=0)
    return RxNormRelease.objects.get()


def test_every_product_level_follows_rxnorms_paths_to_its_ingredients(imported):
    assert _ingredients("310798") == ["hydrochlorothiazide"]  # SCD -> SCDC -> IN
    assert _ingredients("823971") == ["hydrochlorothiazide", "lisinopril"]  # SBD -> SCD
    assert _ingredients("866414") == ["metoprolol"]  # SBD -> SCD -> SCDC -> IN
    assert _ingredients("9000007") == ["metoprolol"]  # PIN -> IN
    assert _ingredients("9000008") == ["hydrochlorothiazide"]  # GPCK contains SCD
    assert _ingredients("9000009") == ["hydrochlorothiazide", "lisinopril"]  # BN
    assert _ingredients("5487") == ["hydrochlorothiazide"]  # IN is its own ingredient
    # a relationship from another source is not followed; editor-suppressed is left out
    assert _ingredients("312961") == ["simvastatin"]
    assert not RxNormConcept.objects.filter(rxcui="9000010").exists()


def test_only_the_ndcs_rxnorm_curates_are_kept(imported):
    assert dict(RxNormNdc.objects.values_list("ndc", "rxcui")) == {
        "68071481901": "310798",
        "68645051054": "310798",
        "55154478200": "312961",
    }


def test_the_release_date_becomes_part_of_the_knowledge_base_version(imported):
    assert imported.released_on.isoformat() == "2025-11-03"
    latest = KnowledgeBaseVersion.objects.order_by("-created", "-id").first()
    assert latest.version.endswith("+rxnorm.2025-11-03")


def test_importing_the_same_release_again_changes_nothing(imported, tmp_path, capsys):
    versions = KnowledgeBaseVersion.objects.count()

    call_command("import_rxnorm", _release_zip(tmp_path))

    assert "already imported" in capsys.readouterr().out
    assert RxNormRelease.objects.get().pk == imported.pk
    assert RxNormConcept.objects.count() == imported.concepts
    assert KnowledgeBaseVersion.objects.count() == versions


def test_an_unpacked_folder_is_read_with_a_release_date_given(knowledge_base):
    call_command("import_rxnorm", SAMPLE, "--release-date", "2025-11-03", verbosity=0)

    assert RxNormRelease.objects.get().version == "11032025"


def test_a_folder_without_nlms_name_or_a_date_is_refused(knowledge_base):
    with pytest.raises(CommandError, match="RxNorm_full_MMDDYYYY"):
        call_command("import_rxnorm", SAMPLE)


@pytest.mark.parametrize(
    ("file", "damage", "message"),
    [
        ("RXNREL.RRF", lambda text: text + "123|CUI|RO|\n", "RXNREL.RRF line 30: expected 16"),
        ("RXNCONSO.RRF", lambda text: text.replace("|\n", "\n", 1), "RXNCONSO.RRF line 1"),
        ("RXNSAT.RRF", lambda text: "x" + text, "RXNSAT.RRF line 1: RXCUI 'x310798'"),
        ("RXNSAT.RRF", lambda text: "", "RXNSAT.RRF is empty"),
    ],
)
def test_a_malformed_release_is_refused_and_the_current_one_kept(
    imported, tmp_path, file, damage, message
):
    broken = tmp_path / "RxNorm_full_12012025"
    shutil.copytree(SAMPLE, broken)
    path = broken / "rrf" / file
    path.write_text(damage(path.read_text()))
    concepts, ndcs = RxNormConcept.objects.count(), RxNormNdc.objects.count()

    with pytest.raises(CommandError, match=message):
        call_command("import_rxnorm", broken)

    assert RxNormRelease.objects.get().pk == imported.pk
    assert (RxNormConcept.objects.count(), RxNormNdc.objects.count()) == (concepts, ndcs)


def test_a_missing_file_is_named(knowledge_base, tmp_path):
    broken = tmp_path / "RxNorm_full_12012025"
    shutil.copytree(SAMPLE, broken)
    (broken / "rrf" / "RXNSAT.RRF").unlink()

    with pytest.raises(CommandError, match="RXNSAT.RRF is missing"):
        call_command("import_rxnorm", broken)
    assert not RxNormRelease.objects.exists()


def test_files_are_streamed_so_memory_does_not_grow_with_their_size(tmp_path):
    # a release whose RXNSAT holds 200,000 attribute rows screening does not keep
    big = tmp_path / "RxNorm_full_11032025"
    shutil.copytree(SAMPLE, big)
    row = "310798|||8000099|CUI|310798|||RXN_STRENGTH|RXNORM|25 MG|N||\n"
    with (big / "rrf" / "RXNSAT.RRF").open("a") as stream:
        stream.writelines(row for _ in range(200_000))

    tracemalloc.start()
    validate(find_release(big))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert (big / "rrf" / "RXNSAT.RRF").stat().st_size > 10_000_000
    assert peak < 1_000_000


# --- Screening with the release ---------------------------------------------------------------


def _screen(api, *lines):
    response = api.post("/api/v1/screenings/", {"medications": list(lines)}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_product_codes_and_ndcs_screen_as_their_ingredients_after_an_import(imported, api):
    result = _screen(
        api,
        {"coding": [{"system": RXNORM, "code": "823971"}]},
        {"coding": [{"system": NDC, "code": "55154-4782-0"}]},
    )

    zestoretic, simvastatin = result["medications"]
    assert zestoretic["status"] == "matched"
    assert zestoretic["product"] == "Zestoretic"
    assert zestoretic["match"]["method"] == "code_rxnorm"
    assert simvastatin["ingredients"] == ["simvastatin"]
    assert simvastatin["match"]["method"] == "code_ndc"
    assert {f["drug_class"] for f in result["findings"]} >= {"thiazide_diuretic", "statin"}
    assert result["knowledge_base"]["version"].endswith("+rxnorm.2025-11-03")


def test_without_an_import_a_bare_product_code_says_a_release_is_needed(api):
    result = _screen(api, {"coding": [{"system": RXNORM, "code": "823971"}]})

    line = result["medications"][0]
    assert line["status"] == "unrecognized"
    assert "RxNorm product codes need an RxNorm release: see README" in line["reason"]
    assert result["not_screened"] == [0]
