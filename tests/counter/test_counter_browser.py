"""The counter screen in a real browser: a pharmacist's whole visit, the keyboard alone,
bad input, and an automated accessibility check (axe-core).

Screenshots of the main states are kept in test-artifacts/counter/ to look at.
"""

from importlib import resources

import pytest
from playwright.sync_api import Page, expect

from screening.models import Handout, Screening

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
THE_LIST = "Zestoretic 20/12.5 mg daily\n\nfurosimide 40mg\nasdfgh qwerty\n"
AXE_SOURCE = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def log_in(page: Page, username: str = "alice") -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check a patient’s medicines for leg cramps"
    )


def serious_accessibility_violations(page: Page) -> list[dict]:
    # Evaluated by the browser's debugging protocol, not as an inline <script>: the page's
    # content security policy (which the test keeps on) refuses inline scripts.
    page.evaluate(AXE_SOURCE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["html"][:200] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def line(page: Page, text: str):
    return page.locator("#lines li.line", has_text=text)


def test_a_pharmacist_screens_a_pasted_list_confirms_a_typo_and_prints_the_handout(
    page, knowledge_base, pharmacist, celery_worker_process, screenshot
):
    # Given a pharmacist at the counter
    log_in(page)
    screenshot(page, "01-empty-form")

    # When they paste the list, tick potassium and screen it
    page.get_by_label("Medicines").fill(THE_LIST)
    page.get_by_role("checkbox", name="Potassium").check()
    page.get_by_role("button", name="Screen the list").click()

    # Then every line shows its status
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    zestoretic = line(page, "Zestoretic 20/12.5 mg daily")
    expect(zestoretic).to_contain_text("Matched")
    expect(zestoretic).to_contain_text("hydrochlorothiazide, lisinopril")
    expect(zestoretic).to_contain_text("ACE inhibitors")
    furosimide = line(page, "furosimide 40mg")
    expect(furosimide).to_contain_text("Probable")
    expect(furosimide.get_by_role("button", name="Confirm furosemide")).to_be_visible()
    expect(line(page, "asdfgh qwerty")).to_contain_text("Check by hand")
    # ... the thiazide and the potassium caution with the ACE inhibitor
    findings = page.locator("#findings")
    expect(findings).to_contain_text("Thiazide and thiazide-like diuretics")
    expect(findings.locator("li", has_text="Loop diuretics")).to_contain_text(
        "confirm the line first"
    )
    actions = page.locator("#actions")
    expect(actions).to_contain_text("Supplement caution: Potassium")
    expect(actions).to_contain_text("ACE inhibitor")
    # ... the most urgent action first
    severities = actions.locator(".badge").all_inner_texts()
    order = {"Critical": 0, "Warning": 1, "Info": 2}
    assert [order[s] for s in severities] == sorted(order[s] for s in severities)
    # ... and the basis of a finding is one click away
    thiazide = findings.locator("li", has_text="Thiazide and thiazide-like diuretics")
    thiazide.get_by_text("Basis").click()
    expect(thiazide.locator(".basis")).to_contain_text("Zestoretic")
    assert (
        thiazide.locator(".basis .references a").first.get_attribute("href").startswith("https://")
    )
    screenshot(page, "02-results-with-probable-line")
    assert serious_accessibility_violations(page) == []

    # When they confirm the probable match
    furosimide.get_by_role("button", name="Confirm furosemide").click()

    # Then a corrected screening is shown, with the line matched and nothing left to confirm
    corrected = line(page, "furosemide 40mg")
    expect(corrected).to_contain_text("Matched")
    expect(page.locator("#findings li", has_text="Loop diuretics")).not_to_contain_text(
        "confirm the line first"
    )
    assert Screening.objects.count() == 2
    screenshot(page, "03-confirmed")

    # When they ask for the handout in Spanish
    handout = page.locator("#handout")
    handout.get_by_label("Handout language").select_option("es")
    with page.expect_popup() as popup:
        handout.get_by_role("button", name="Make the handout").click()
        # Then progress is announced, and the PDF opens when the worker has made it
        expect(handout.get_by_role("link", name="Open the handout (PDF)")).to_be_visible(
            timeout=60_000
        )
    expect(handout.get_by_role("status")).to_have_text("The handout is ready.")
    pdf_url = handout.get_by_role("link", name="Open the handout (PDF)").get_attribute("href")
    assert popup.value.url.endswith(pdf_url)
    pdf = page.request.get(pdf_url)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    stored = Handout.objects.get()
    assert (stored.language, stored.status, stored.screening.request["medications"][1]) == (
        "es",
        "ready",
        "furosemide 40mg",
    )
    screenshot(page, "04-handout-ready")


def test_the_handout_status_page_works_without_javascript(
    chromium, live_server, knowledge_base, pharmacist, celery_worker_process, screenshot
):
    context = chromium.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        log_in(page)
        page.get_by_label("Medicines").fill("atorvastatin 40 mg")
        page.get_by_role("button", name="Screen the list").click()
        page.get_by_role("button", name="Make the handout").click()

        # The status page refreshes itself until the handout is ready.
        expect(page.get_by_role("link", name="Open the handout (PDF)")).to_be_visible(
            timeout=60_000
        )
        screenshot(page, "05-handout-page-without-javascript")
    finally:
        context.close()


def test_the_whole_visit_works_with_the_keyboard_alone(page, knowledge_base, pharmacist):
    log_in(page)

    def tab_to(predicate_js: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(
                f"() => {{ const el = document.activeElement; return {predicate_js}; }}"
            ):
                return
        raise AssertionError(f"Tab never reached: {predicate_js}")

    tab_to("el.name === 'medications'")
    page.keyboard.type("lisinopril 10 mg\nfurosimide 40mg")
    tab_to("el.name === 'common_supplements' && el.value === 'potassium'")
    page.keyboard.press("Space")
    tab_to("el.textContent.trim() === 'Screen the list'")
    page.keyboard.press("Enter")

    expect(line(page, "furosimide 40mg")).to_contain_text("Probable")
    tab_to("el.textContent.trim() === 'Confirm furosemide'", limit=80)
    page.keyboard.press("Enter")

    expect(line(page, "furosemide 40mg")).to_contain_text("Matched")
    expect(page.locator("#actions")).to_contain_text("Supplement caution: Potassium")


def test_bad_input_is_explained_next_to_the_field_and_nothing_is_stored(
    page, knowledge_base, pharmacist, screenshot
):
    log_in(page)
    medications = page.get_by_label("Medicines")

    # An empty submission
    page.get_by_role("button", name="Screen the list").click()
    expect(page.locator("#id_medications_error")).to_contain_text("Enter at least one medicine")
    expect(medications).to_have_attribute("aria-invalid", "true")
    expect(medications).to_have_attribute(
        "aria-describedby", "id_medications_helptext id_medications_error"
    )

    # 101 lines: the list is kept as typed
    many = "\n".join(f"medicine number {n}" for n in range(101))
    page.get_by_label("Medicines").fill(many)
    page.get_by_role("button", name="Screen the list").click()
    expect(page.locator("#id_medications_error")).to_contain_text(
        "The list has 101 lines; at most 100"
    )
    expect(page.get_by_label("Medicines")).to_have_value(many)

    # A 10,000-character paste
    page.get_by_label("Medicines").fill("lisinopril " * 909 + "x")
    page.get_by_role("button", name="Screen the list").click()
    expect(page.locator("#id_medications_error")).to_contain_text("at most 500 characters")
    expect(page.locator("[role=alert]")).to_contain_text("nothing was saved")
    screenshot(page, "06-validation-errors")
    assert serious_accessibility_violations(page) == []
    assert not Screening.objects.exists()


def test_the_recent_screenings_list_reopens_a_screening(
    page, knowledge_base, pharmacist, screenshot
):
    log_in(page)
    page.get_by_label("Medicines").fill("<script>window.hacked = 1</script>\nsimvastatin 20 mg")
    page.get_by_role("button", name="Screen the list").click()
    expect(line(page, "<script>window.hacked = 1</script>")).to_contain_text("Check by hand")
    assert page.evaluate("() => window.hacked") is None

    page.get_by_role("link", name="Recent screenings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recent screenings")
    screenshot(page, "07-recent-screenings")
    assert serious_accessibility_violations(page) == []
    page.locator("table.screenings tbody a").first.click()

    expect(line(page, "simvastatin 20 mg")).to_contain_text("Matched")
    expect(page.get_by_label("Medicines")).to_have_value(
        "<script>window.hacked = 1</script>\nsimvastatin 20 mg"
    )


def _readme_ten_lines() -> str:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("A ten-line list to try", 1)[1].split("```text\n", 1)[1]
    return block.split("```", 1)[0]


def test_the_first_screen_shows_what_to_act_on_and_a_pharmacist_records_decisions(
    chromium, live_server, knowledge_base, pharmacist, screenshot
):
    from screening.models import Decision

    context = chromium.new_context(
        viewport={"width": 1280, "height": 800}, base_url=live_server.url
    )
    page = context.new_page()
    log_in(page)
    ten_lines = _readme_ten_lines()
    assert len(ten_lines.strip().splitlines()) == 10
    page.get_by_label("Medicines").fill(ten_lines)
    page.get_by_role("checkbox", name="Magnesium").check()
    page.locator("details.patient-factors > summary").click()
    page.get_by_label("eGFR").fill("28")
    page.get_by_role("button", name="Screen the list").click()
    expect(page.get_by_role("heading", name="Act on these first")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "05-first-screen-1280x800")

    # The cramp-linked medicines and every critical item are on the first screen
    cramp_strip = page.locator(".cramp-strip")
    critical = page.locator("#act-now li.item-critical")
    assert critical.count() >= 2
    for element in [cramp_strip, *critical.all()]:
        box = element.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 800, element.inner_text()[:80]
    expect(cramp_strip).to_contain_text("Zestoretic 20/12.5 mg: thiazide")

    # One click acknowledges the first critical item
    first = critical.first
    title = first.locator(".act-title").inner_text()
    first.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#act-now li", has_text=title[-20:]).first).to_contain_text(
        "Acknowledged by alice"
    )

    # Another is overridden with a reason and a comment
    item = page.locator("#act-now li.item-critical", has_text="Override").first
    item.locator("summary", has_text="Override").click()
    item.get_by_label("Reason").select_option("prescriber-aware")
    item.get_by_label("Comment").fill("Discussed with Dr Adams today.")
    item.get_by_role("button", name="Record the override").click()
    expect(page.locator("#act-now")).to_contain_text("Discussed with Dr Adams today.")
    assert sorted(Decision.objects.values_list("outcome", flat=True)) == [
        "acknowledged",
        "overridden",
    ]
    assert serious_accessibility_violations(page) == []

    # and both are in the pharmacy's audit list
    page.get_by_role("link", name="Decisions").click()
    expect(page.locator("table.decisions tbody tr")).to_have_count(2)
    context.close()
