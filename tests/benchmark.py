"""Benchmark: `make benchmark` (or `python -m tests.benchmark`).

The machine is shared and noisy, so every figure that matters is a ratio of two things
measured in the same run, with medians over many repetitions:

1. fuzzy matching: our length-bucketed `fuzz.ratio` vs rapidfuzz's default
   `process.extractOne` (WRatio) over every curated name, on misspelt lines;
2. a realistic 20-line screening vs the same list as exact names only (what noise,
   combinations and typos cost);
3. the index with the 45k-name open vocabulary vs curated names only (build and screen);
4. the whole API request (auth, validation, engine, storage) vs the engine alone.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REALISTIC_LIST = [
    "Lasix 40 mg 1 po qam",
    "losartan/HCTZ 100/25",
    "24 HR metoprolol succinate 50 MG Extended Release Oral Tablet",
    "furosimide 20mg",
    "Zestoretic 20/12.5 daily",
    "atorvastatin calcium 40mg tab qhs",
    "co-amilofruse 5/40",
    "Symbicort 160/4.5 2 puffs BID",
    "metformin ER 500 mg 2 tabs with supper",
    "levothyroxine 75 mcg qam",
    "aspirin 81 mg EC",
    "omeprazole 20mg daily",
    "Klor-Con M20",
    "gabapentin 300 mg tid",
    "sertraline 50mg",
    "Eliquis 5mg bid",
    "atorvastatn",
    "Tylenol PRN",
    "asdfgh qwerty",
    "simvastatin 40 mg",
]
EXACT_LIST = [
    "furosemide",
    "losartan",
    "metoprolol",
    "furosemide",
    "lisinopril",
    "atorvastatin",
    "amiloride",
    "budesonide",
    "metformin",
    "levothyroxine",
    "aspirin",
    "omeprazole",
    "potassium chloride",
    "gabapentin",
    "sertraline",
    "apixaban",
    "atorvastatin",
    "acetaminophen",
    "hydralazine",
    "simvastatin",
]
TYPOS = [
    "furosimide",
    "atorvastatn",
    "metoprolo",
    "hydrazaline",
    "chlorthalidon",
    "simvastatine",
    "lisinoprill",
    "amlodipin",
    "spironolacton",
    "bisoprolo",
]


def median_seconds(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def row(label: str, seconds: float) -> None:
    print(f"  {label:<62} {seconds * 1000:10.3f} ms")


def main() -> None:
    from rapidfuzz import fuzz, process

    from screening.engine import LineInput, ScreeningRequest, build_index, resolve_line, screen
    from screening.knowledge.external_vocabulary import external_drug_names
    from screening.knowledge.files import read_knowledge_base

    files = read_knowledge_base(ROOT / "fixtures" / "knowledge_base").entries
    external = [{"name": n, "ingredients": i} for n, i in external_drug_names(files)]
    curated_only = dict(files)
    with_external = {**files, "external_names": external}

    print("Index build (median of 5)")
    build_curated = median_seconds(lambda: build_index(curated_only, version="bench"), 5)
    build_external = median_seconds(lambda: build_index(with_external, version="bench"), 5)
    row("curated names only", build_curated)
    row(f"curated + {len(external):,} open-vocabulary names", build_external)

    index = build_index(with_external, version="bench")
    curated_index = build_index(curated_only, version="bench")
    names = sorted(
        {i["name"] for i in files["ingredients"]}
        | {s for i in files["ingredients"] for s in i.get("synonyms") or []}
        | {p["name"] for p in files["products"]}
    )

    print(
        f"\nFuzzy matching, {len(TYPOS)} misspelt names over {len(names):,} curated names (median of 20)"
    )
    ours = median_seconds(lambda: [resolve_line(index, t) for t in TYPOS], 20)
    wratio = median_seconds(lambda: [process.extractOne(t, names) for t in TYPOS], 20)
    plain = median_seconds(
        lambda: [process.extractOne(t, names, scorer=fuzz.ratio) for t in TYPOS], 20
    )
    row("engine resolve_line (bucketed fuzz.ratio + look-alike check)", ours)
    row("rapidfuzz extractOne, default WRatio, all names", wratio)
    row("rapidfuzz extractOne, fuzz.ratio, all names", plain)

    def request(lines):
        return ScreeningRequest(medications=tuple(LineInput(text=t) for t in lines))

    realistic, exact = request(REALISTIC_LIST), request(EXACT_LIST)
    print("\nScreening a 20-line list (median of 200)")
    t_realistic = median_seconds(lambda: screen(index, realistic), 200)
    t_exact = median_seconds(lambda: screen(index, exact), 200)
    t_curated = median_seconds(lambda: screen(curated_index, realistic), 200)
    row("realistic messy list (noise, combinations, typos)", t_realistic)
    row("the same medicines as bare exact names", t_exact)
    row("realistic list, curated index without the open vocabulary", t_curated)

    t_api = api_request_seconds()
    print("\nWhole API request, POST /api/v1/screenings/ in-process on SQLite (median of 50)")
    row("auth + validation + engine + insert + JSON", t_api)

    print("\nRatios (same run)")
    print(f"  default WRatio extractOne / engine fuzzy path      {wratio / ours:8.1f}x")
    print(f"  plain ratio extractOne / engine fuzzy path         {plain / ours:8.1f}x")
    print(f"  messy list / exact-name list                       {t_realistic / t_exact:8.1f}x")
    print(f"  with open vocabulary / curated only (screen)       {t_realistic / t_curated:8.2f}x")
    print(
        f"  with open vocabulary / curated only (index build)  {build_external / build_curated:8.1f}x"
    )
    print(f"  whole API request / engine alone                   {t_api / t_realistic:8.1f}x")


def api_request_seconds() -> float:
    """One POST through the real stack, on a throwaway SQLite database."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    os.environ["VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["API_THROTTLE_RATE"] = "1000000/minute"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pharmacy_site.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from screening.models import ApiClient, Pharmacy

    call_command("migrate", verbosity=0)
    call_command("load_knowledge_base", stdout=io.StringIO())
    _, token = ApiClient.objects.create_key(
        name="bench", pharmacy=Pharmacy.objects.create(name="Bench")
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    payload = {"medications": REALISTIC_LIST}
    client.post("/api/v1/screenings/", payload, format="json")  # warm the index

    def post():
        response = client.post("/api/v1/screenings/", payload, format="json")
        assert response.status_code == 201, response.status_code

    return median_seconds(post, 50)


if __name__ == "__main__":
    main()
