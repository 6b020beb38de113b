"""Property-based: arbitrary Unicode into the line reader and the engine.

Huge and empty strings, control and bidirectional characters, combining marks, mixed
scripts, digits only: every line comes back, in order, with a status, and nothing raises.
PROPERTY_EXAMPLES sets how many lists hypothesis tries (docs/reliability.md)."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.engine import LineInput, ScreeningRequest, screen
from screening.engine.result import ScreeningResult

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "200"))
STATUSES = {"matched", "probable", "unrecognized"}

NAMES = ["Lasix", "furosemide", "Zocor", "simvastatin", "Klor-Con", "metoprolol", "HCTZ"]
ODD = [
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u200b",  # zero width space
    "\u0301",  # combining acute
    "\u0000",
    "\ufeff",
    "\u00a0",
    "\n",
    "\t",
    "\ud7ff",
]
any_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=600)
# Text close to real lines, so the matchers' deeper paths are reached too.
near_names = st.builds(
    lambda name, junk, strength: f"{junk}{name}{junk} {strength}",
    st.sampled_from(NAMES),
    st.text(alphabet=st.sampled_from(ODD + list("0123456789 /-")), max_size=4),
    st.from_regex(r"[0-9]{0,4} ?(mg|mcg|mEq|%)?", fullmatch=True),
)
digits_only = st.from_regex(r"[0-9 .,/]{1,40}", fullmatch=True)
huge = st.builds(lambda piece, times: piece * times, st.text(max_size=8), st.integers(0, 2000))
lines = st.one_of(any_text, near_names, digits_only, huge, st.just(""))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    medications=st.lists(lines, min_size=1, max_size=12), supplements=st.lists(lines, max_size=4)
)
def test_every_line_comes_back_whatever_it_holds(index, medications, supplements):
    result = screen(
        index,
        ScreeningRequest(
            medications=tuple(LineInput(text) for text in medications),
            supplements=tuple(LineInput(text) for text in supplements),
        ),
    )

    assert [line.input for line in result.medications] == medications
    assert [line.input for line in result.supplements] == supplements
    assert [line.index for line in result.medications] == list(range(len(medications)))
    for line in result.medications + result.supplements:
        assert line.status in STATUSES
        if line.status == "unrecognized":
            assert line.reason
    unread = {line.index for line in result.medications if line.status == "unrecognized"}
    assert unread <= set(result.not_screened)
    assert result.stored() == result.model_dump(mode="json")  # the result can always be stored


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    medications=st.lists(st.one_of(near_names, st.sampled_from(NAMES)), min_size=1, max_size=12),
    supplements=st.lists(
        st.sampled_from(["magnesium", "potassium 99 mg", "vitamin E"]), max_size=3
    ),
)
def test_a_stored_result_is_its_full_dump_though_lines_repeat(index, medications, supplements):
    """Lines read before and the advice keep their JSON between screenings (result.py,
    _SharedPart): what is stored is still exactly the result's own dump, in its order, the
    same line at another place keeps its own index, and a copy with another value is
    dumped afresh."""
    request = ScreeningRequest(
        medications=tuple(LineInput(text) for text in medications),
        supplements=tuple(LineInput(text) for text in supplements),
    )
    for _ in range(2):  # the second time, every line and the advice are kept ones
        result = screen(index, request)
        stored = result.stored()
        assert stored == result.model_dump(mode="json")
        assert list(stored) == list(result.model_dump(mode="json"))
        assert [line["index"] for line in stored["medications"]] == list(range(len(medications)))
        assert ScreeningResult.from_stored(stored) == result  # kept JSON is not a field

    line = result.medications[-1]
    changed = line.model_copy(update={"input": line.input + " (confirmed)", "index": 99})
    assert changed.stored() == changed.model_dump(mode="json")
    assert changed.stored()["input"].endswith(" (confirmed)")
    assert line.stored() == line.model_dump(mode="json")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=lines)
def test_the_line_reader_never_raises_and_keeps_the_text(read, text):
    resolution = read(text)

    assert resolution.status in STATUSES
    assert resolution.input == text
