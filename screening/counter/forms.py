"""The counter screen's forms: what the pharmacist pasted, held to the API's limits.

A paste from a dispensing system is one medicine a line; blank lines are not lines. The
limits are the API's, so a list that the API refuses is refused here too, next to the
field and before anything is stored.
"""

from typing import Any

from django import forms
from django.conf import settings

from screening.engine.result import ScreeningResult
from screening.engine.terms import ListKind
from screening.handouts.plain_text import is_plain_name
from screening.models import Decision, Symptom
from screening.models.decisions import IssueKind, OverrideReason
from screening.services.screenings import MAX_LINE_LENGTH, MAX_MEDICATIONS, MAX_SUPPLEMENTS

# The supplements patients mention most at the counter: the value is the line the engine
# reads, so a ticked box screens exactly like the same word typed in the text box.
COMMON_SUPPLEMENTS = [
    ("magnesium", "Magnesium"),
    ("potassium", "Potassium"),
    ("calcium", "Calcium"),
    ("vitamin D", "Vitamin D"),
    ("vitamin E", "Vitamin E"),
    ("quinine", "Quinine"),
    ("red yeast rice", "Red yeast rice"),
]
_COMMON_SUPPLEMENT_VALUES = {value.casefold(): value for value, _ in COMMON_SUPPLEMENTS}
# Say which lines are too long, but not all of a hundred of them.
_MAX_LINES_NAMED = 5


def pasted_lines(text: str) -> list[str]:
    """Every non-blank line of a paste, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _line_text(item: str | dict) -> str:
    """A stored request line is text, or (from the API) an object with text and codes."""
    return item if isinstance(item, str) else str(item.get("text") or "")


def _check_line_lengths(lines: list[str]) -> None:
    too_long = [
        (number, len(line))
        for number, line in enumerate(lines, start=1)
        if len(line) > MAX_LINE_LENGTH
    ]
    if not too_long:
        return
    named = ", ".join(
        f"line {number} has {length:,}" for number, length in too_long[:_MAX_LINES_NAMED]
    )
    more = (
        f" (and {len(too_long) - _MAX_LINES_NAMED} more)"
        if len(too_long) > _MAX_LINES_NAMED
        else ""
    )
    raise forms.ValidationError(
        f"A line may have at most {MAX_LINE_LENGTH} characters: {named}{more}. "
        "Put one medicine on each line.",
        code="line_too_long",
    )


class ScreeningForm(forms.Form):
    medications = forms.CharField(
        label="Medicines",
        help_text=f"One medicine a line, as on the label or the dispensing record (up to {MAX_MEDICATIONS}). "
        "Paste the whole list: blank lines are ignored.",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocapitalize": "off"}),
        error_messages={"required": "Enter at least one medicine, one a line."},
    )
    common_supplements = forms.MultipleChoiceField(
        label="Common supplements",
        choices=COMMON_SUPPLEMENTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    supplements = forms.CharField(
        label="Other supplements",
        help_text="One a line, as the patient says them (for example “Mag-Ox 400”).",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocapitalize": "off"}),
    )
    age = forms.IntegerField(
        label="Age (years)",
        required=False,
        min_value=0,
        max_value=130,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    egfr = forms.FloatField(
        label="eGFR (mL/min/1.73 m²)",
        help_text="If known: some supplements are unsafe when the kidneys are weak.",
        required=False,
        min_value=0,
        max_value=250,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    symptoms = forms.MultipleChoiceField(
        label="Symptoms with the cramps",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The knowledge base's own symptom list: the red-flag rules know exactly these codes.
        self.fields["symptoms"].choices = list(
            Symptom.objects.order_by("label").values_list("code", "label")
        )

    def clean_medications(self) -> list[str]:
        lines = pasted_lines(self.cleaned_data["medications"])
        if not lines:
            raise forms.ValidationError("Enter at least one medicine, one a line.", code="required")
        if len(lines) > MAX_MEDICATIONS:
            raise forms.ValidationError(
                f"The list has {len(lines)} lines; at most {MAX_MEDICATIONS} can be screened at once. "
                "Screen it in two parts.",
                code="too_many_lines",
            )
        _check_line_lengths(lines)
        return lines

    def clean_supplements(self) -> list[str]:
        lines = pasted_lines(self.cleaned_data["supplements"])
        _check_line_lengths(lines)
        return lines

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        typed = cleaned.get("supplements")
        if typed is None:
            return cleaned
        already = {line.casefold() for line in typed}
        ticked = [
            value
            for value in cleaned.get("common_supplements") or []
            if value.casefold() not in already
        ]
        cleaned["supplement_lines"] = typed + ticked
        if len(cleaned["supplement_lines"]) > MAX_SUPPLEMENTS:
            self.add_error(
                "supplements",
                forms.ValidationError(
                    f"There are {len(cleaned['supplement_lines'])} supplements; at most {MAX_SUPPLEMENTS} "
                    "can be screened at once.",
                    code="too_many_lines",
                ),
            )
        return cleaned

    def screening_input(self) -> dict[str, Any]:
        """The arguments of `screening_create` for a valid form (the API's request shape)."""
        data = self.cleaned_data
        patient = {
            key: value
            for key, value in (
                ("age", data.get("age")),
                ("egfr", data.get("egfr")),
                ("symptoms", data.get("symptoms")),
            )
            if value not in (None, [], "")
        }
        return {
            "medications": data["medications"],
            "supplements": data["supplement_lines"],
            "patient": patient or None,
        }

    @classmethod
    def initial_from_request(cls, request: dict[str, Any]) -> dict[str, Any]:
        """The form as it was filled for a stored screening, so it can be changed and re-run."""
        supplements = [_line_text(item) for item in request.get("supplements") or []]
        ticked = [
            _COMMON_SUPPLEMENT_VALUES[line.casefold()]
            for line in supplements
            if line.casefold() in _COMMON_SUPPLEMENT_VALUES
        ]
        typed = [line for line in supplements if line.casefold() not in _COMMON_SUPPLEMENT_VALUES]
        patient = request.get("patient") or {}
        return {
            "medications": "\n".join(_line_text(item) for item in request.get("medications") or []),
            "common_supplements": ticked,
            "supplements": "\n".join(typed),
            "age": patient.get("age"),
            "egfr": patient.get("egfr"),
            "symptoms": patient.get("symptoms") or [],
        }


class LineChoiceForm(forms.Form):
    """The pharmacist confirms a probable line, or picks another of its suggestions."""

    list_name = forms.ChoiceField(choices=[(kind.value, kind.value) for kind in ListKind])
    index = forms.IntegerField(min_value=0)
    name = forms.CharField(max_length=MAX_LINE_LENGTH)

    def __init__(self, *args: Any, result: ScreeningResult, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.result = result

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        cleaned["list_name"] = ListKind(cleaned["list_name"])
        lines = self.result.lines(cleaned["list_name"])
        if cleaned["index"] >= len(lines):
            raise forms.ValidationError("That line is not in this screening.", code="no_such_line")
        # Only a name the engine offered for this line: the choice is a click, not free text.
        if cleaned["name"] not in lines[cleaned["index"]].confirmation_choices():
            raise forms.ValidationError(
                "That name was not offered for this line.", code="not_offered"
            )
        return cleaned


class HandoutForm(forms.Form):
    language = forms.ChoiceField(label="Handout language", choices=settings.LANGUAGES)
    patient_name = forms.CharField(
        label="Patient name on the handout",
        help_text="Optional. Leave empty to print without a name.",
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_patient_name(self) -> str:
        # The API's rule for names on paper (PlainNameField), so both doors accept the same.
        name = self.cleaned_data["patient_name"]
        if not is_plain_name(name):
            raise forms.ValidationError(
                "Names must be plain text: no '<', '>' or control characters.", code="not_plain"
            )
        return name


class DecisionForm(forms.Form):
    """Acknowledge an issue, or override it with a reason from the list and a comment."""

    issue_key = forms.CharField(max_length=200, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        choices=[("acknowledged", "Acknowledge"), ("overridden", "Override")],
        widget=forms.HiddenInput,
    )
    reason = forms.ChoiceField(
        label="Reason", choices=[("", "Choose a reason…"), *OverrideReason.choices], required=False
    )
    comment = forms.CharField(
        label="Comment", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "overridden" and not cleaned.get("reason"):
            self.add_error("reason", "Choose why you override it.")
        if cleaned.get("outcome") == "acknowledged":
            cleaned["reason"] = ""
        return cleaned


class DecisionFilterForm(forms.Form):
    """The audit list's filters; every one is optional."""

    outcome = forms.ChoiceField(
        label="Outcome", choices=[("", "Any"), *Decision.Outcome.choices], required=False
    )
    issue_kind = forms.ChoiceField(
        label="Kind", choices=[("", "Any"), *IssueKind.choices], required=False
    )
    source = forms.ChoiceField(
        label="Through", choices=[("", "Any"), *Decision.Source.choices], required=False
    )
    decided_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decided_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    who = forms.CharField(label="Decided by", max_length=100, required=False)
