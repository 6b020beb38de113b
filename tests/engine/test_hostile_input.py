"""Any text at all comes back as a line, never an exception, and never as markup."""

import random

import pytest

from screening.engine import Coding, LineInput, ScreeningRequest, screen

HOSTILE = [
    "",
    " ",
    "\x00\x01\x02",
    "\t\n\r",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>Lasix",
    "' OR 1=1 --",
    "%s%s%s%n",
    "{{7*7}} ${7*7}",
    "\u202eLasix\u202c",
    "L\u200basix",
    "\ud800",
    "😀💊🦵",
    "呋塞米 40mg",
    "фуросемид",
    "Ｌａｓｉｘ",
    "a" * 500,
    ("furosemide " * 60)[:500],
    "x " * 250,
    "metoprolo " * 50,
    "1" * 1000,
    "/" * 500,
]


@pytest.mark.parametrize("line", HOSTILE)
def test_hostile_or_odd_text_never_raises(read, line):
    resolution = read(line)

    assert resolution.status in {"matched", "probable", "unrecognized"}
    assert resolution.input == line


def test_full_width_and_invisible_characters_do_not_hide_a_name(read):
    assert list(read("Ｌａｓｉｘ 40mg").ingredients) == ["furosemide"]
    assert list(read("L\u200basix").ingredients) == ["furosemide"]


def test_the_engine_never_adds_markup_to_what_it_returns(screen_lists):
    result = screen_lists(["<b>asdfgh</b>", "<img src=x onerror=alert(1)>Lasix"], ["<i>tea</i>"])

    for line in result["medications"] + result["supplements"]:
        for key in ("reason",):
            assert "<" not in (line[key] or "")
    assert result["medications"][1]["match"]["matched_text"] == "Lasix"


def test_random_unicode_lines_never_raise(index):
    rng = random.Random(20240601)
    alphabet = [chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c <= 0xDFFF] + list(
        "furosemide lasix /+,"
    )
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))) for _ in range(300)]

    result = screen(index, ScreeningRequest(medications=tuple(LineInput(line) for line in lines)))

    assert len(result.medications) == 300


def test_a_very_long_line_of_nonsense_is_read_as_unrecognized(read):
    # How fast is the benchmark's business (make bench): a shared machine makes timing
    # assertions here flaky.
    line = ("qwertyuiop asdfghjkl zxcvbnmlk " * 40)[:1200]

    resolution = read(line)

    assert resolution.status == "unrecognized" and resolution.input == line


@pytest.mark.parametrize(
    "coding",
    [
        (Coding(None, None),),
        (Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "<script>"),),
        (Coding("x" * 5000, "y" * 5000),),
    ],
)
def test_odd_codes_never_raise(read, coding):
    resolution = read("", coding=coding)

    assert resolution.status == "unrecognized"
    assert len(resolution.reason) < 400


def test_a_coding_without_a_system_says_so(read):
    assert "(no system)" in read("", coding=(Coding(None, "4603"),)).reason


def test_text_that_is_not_a_string_is_read_as_text(read):
    assert read(None).status == "unrecognized"
    assert read(12345).status == "unrecognized"
