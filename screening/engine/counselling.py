"""General advice that comes with every screen. Plain words, short sentences."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CounsellingPoint:
    key: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "text": self.text}


DO_NOT_STOP = CounsellingPoint(
    "do_not_stop", "Do not stop taking any of your medicines on your own."
)
TALK_WITH_PRESCRIBER = CounsellingPoint(
    "talk_with_prescriber",
    "Talk with your prescriber about your leg cramps. Bring this list with you.",
)
RED_FLAG_CARE = CounsellingPoint(
    "get_care_for_warning_signs",
    "Some of what you told us needs a doctor or nurse to check it. Please follow the advice about when to get care.",
)
SUPPLEMENTS_CHECK = CounsellingPoint(
    "ask_before_supplements",
    "Ask your pharmacist before you start, stop or change a supplement.",
)
NOT_CHECKED = CounsellingPoint(
    "show_unchecked_items",
    "We could not check some items on your list. Show the packs to your pharmacist.",
)
KEEP_LIST = CounsellingPoint(
    "keep_list_up_to_date",
    "Keep a list of all your medicines and supplements. Show it at every visit.",
)


def counselling_points(
    *, red_flags: bool, supplement_cautions: bool, not_screened: bool
) -> tuple[CounsellingPoint, ...]:
    """Always "do not stop" and "talk with your prescriber"; more when the screen calls for it."""
    points = [DO_NOT_STOP, TALK_WITH_PRESCRIBER]
    if red_flags:
        points.append(RED_FLAG_CARE)
    if supplement_cautions:
        points.append(SUPPLEMENTS_CHECK)
    if not_screened:
        points.append(NOT_CHECKED)
    points.append(KEEP_LIST)
    return tuple(points)
