"""Drug-drug interactions: present only when both sides are on the list."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


def _interactions(result):
    return {i["key"]: i["medication_indexes"] for i in result["interactions"]}


@pytest.mark.parametrize(
    ("medications", "expected"),
    [
        (["simvastatin 40 mg", "clarithromycin 500 mg"], {"simvastatin_strong_cyp3a4": [0, 1]}),
        (["clarithromycin", "Vytorin 10/40"], {"simvastatin_strong_cyp3a4": [0, 1]}),
        (["Lasix", "metolazone"], {"loop_with_thiazide": [0, 1]}),
        (["Lasix", "HCTZ", "Zestoretic"], {"loop_with_thiazide": [0, 1, 2]}),
        (["lisinopril", "spironolactone"], {"ace_inhibitor_with_potassium_sparing": [0, 1]}),
    ],
)
def test_an_interaction_fires_when_both_sides_are_present(screen_lists, medications, expected):
    assert _interactions(screen_lists(medications)) == expected


@pytest.mark.parametrize(
    "medications",
    [
        ["simvastatin 40 mg"],
        ["clarithromycin 500 mg"],
        ["simvastatin", "atorvastatin"],
        ["Lasix", "Lasix 20mg"],
        ["Lasix", "lisinopril"],
        ["simvastatin", "clarithro"],
        ["simvastatin", "asdfgh"],
    ],
)
def test_no_interaction_without_a_partner(screen_lists, medications):
    assert screen_lists(medications)["interactions"] == []


def test_a_combination_line_holding_both_sides_fires_on_its_own(screen_lists):
    # co-amilofruse has no thiazide; a made-up line with both sides pasted together does
    result = screen_lists(["furosemide/hydrochlorothiazide 40/25"])

    assert _interactions(result) == {"loop_with_thiazide": [0]}


def test_an_interaction_carries_its_texts_and_references(screen_lists):
    interaction = screen_lists(["simvastatin", "clarithromycin"])["interactions"][0]

    assert interaction["severity"] == "critical"
    assert interaction["message"] == "Message for simvastatin_strong_cyp3a4."
    assert interaction["action"] == "Action for simvastatin_strong_cyp3a4."
    assert interaction["needs_confirmation"] is False
    assert interaction["references"][0]["key"] == "simvastatin_label"
    assert interaction["references"][0]["citation"] == "Citation for simvastatin_label."


def test_interactions_are_sorted_by_severity_then_key(screen_lists):
    result = screen_lists(
        ["lisinopril", "spironolactone", "Lasix", "HCTZ", "simvastatin", "clarithromycin"]
    )

    assert [(i["severity"], i["key"]) for i in result["interactions"]] == [
        ("critical", "simvastatin_strong_cyp3a4"),
        ("warning", "ace_inhibitor_with_potassium_sparing"),
        ("warning", "loop_with_thiazide"),
    ]


@pytest.mark.parametrize(
    ("medications", "needs_confirmation"),
    [
        (["simvastatin", "clarithromycin"], False),
        (["simvastatin", "clarithromicin"], True),
        (["simvastatin", "clarithromicin", "clarithromycin"], False),
    ],
)
def test_an_interaction_needs_confirmation_unless_one_pair_is_fully_matched(
    screen_lists, medications, needs_confirmation
):
    assert screen_lists(medications)["interactions"][0]["needs_confirmation"] is needs_confirmation


# Every way an interaction can pair up, checked against the definition written as pairs:
# the engine never lists pairs (a long list would make them quadratic), so its shortcut
# must agree with them on the lines involved and on whether a confirmed pair exists.
# One extra rule has the same class on both sides, as "two statins" would, so a medicine
# can meet itself, and one side bound to oral use; lines may name only a class (a
# class-level ATC code) and may say their route.
_INGREDIENTS = ["simvastatin", "atorvastatin", "clarithromycin", "furosemide", "metolazone",
                "lisinopril", "spironolactone", "atenolol"]  # fmt: skip
_CLASS_ONLY = ["statin", "loop_diuretic", "strong_cyp3a4_inhibitor"]


@pytest.fixture(scope="module")
def index_with_a_same_class_rule(snapshot):
    from screening.engine import build_index

    extended = copy.deepcopy(snapshot)
    rule = copy.deepcopy(extended["interactions"][0])
    rule.update(key="two_statins", left={"drug_classes": ["statin"]},
                right={"drug_classes": ["statin"], "routes": ["oral"]})  # fmt: skip
    extended["interactions"].append(rule)
    return build_index(extended, version="test-pairs")


def _line(position, names, status, route):
    from screening.engine.result import Line

    ingredients = tuple(name for name in names if name in _INGREDIENTS)
    classes = () if ingredients else tuple(name for name in names if name in _CLASS_ONLY)
    return Line(index=position, input=" + ".join(names) or "?", status=status,
                ingredients=ingredients, drug_classes=classes, route=route)  # fmt: skip


def _by_pairs(index, lines):
    """{key: (medication_indexes, needs_confirmation, route_note)} from every pair."""
    items = []
    for position, line in enumerate(lines):
        if line.is_screened:
            items += [(position, i, frozenset(index.classes_of(i)), line.is_confirmed, line.route)
                      for i in line.ingredients]  # fmt: skip
            if not line.ingredients and line.drug_classes:
                items.append((position, "", frozenset(line.drug_classes), line.is_confirmed,
                              line.route))  # fmt: skip
    found = {}
    for rule in index.interactions:
        left = [it for it in items if rule.left.matches(it[1], it[2])
                and not rule.left.route_rule.excludes(it[4])]  # fmt: skip
        right = [it for it in items if rule.right.matches(it[1], it[2])
                 and not rule.right.route_rule.excludes(it[4])]  # fmt: skip
        pairs = [(a, b) for a in left for b in right
                 if a[0] != b[0] or (a[1] and b[1] and a[1] != b[1])]  # fmt: skip
        if pairs:
            found[rule.key] = (
                tuple(sorted({x[0] for pair in pairs for x in pair})),
                not any(a[3] and b[3] for a, b in pairs),
                any(rule.left.route_rule.unstated(a[4]) or rule.right.route_rule.unstated(b[4])
                    for a, b in pairs),
            )  # fmt: skip
    return found


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(_INGREDIENTS + _CLASS_ONLY), max_size=3, unique=True),
            st.sampled_from(["matched", "probable", "unrecognized"]),
            st.sampled_from([None, "oral", "ophthalmic"]),
        ),
        max_size=12,
    )
)
def test_interactions_agree_with_every_pair_of_medicines(index_with_a_same_class_rule, specs):
    from screening.engine.interactions import find_interactions

    index = index_with_a_same_class_rule
    lines = [_line(position, *spec) for position, spec in enumerate(specs)]

    found = {
        alert.key: (
            alert.medication_indexes,
            alert.needs_confirmation,
            alert.route_note is not None,
        )
        for alert in find_interactions(index, lines)
    }

    assert found == _by_pairs(index, lines)
