"""The counter screen: paste a list, screen it, confirm what was misspelt, print the handout.

Thin views over the same services as the API: `screening_create` screens and stores,
`handout_request` queues the handout. Every lookup goes through the pharmacy-scoped
selectors, so another pharmacy's screening or handout is a 404 here as in the API.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from screening.counter.forms import (
    DecisionFilterForm,
    DecisionForm,
    HandoutForm,
    LineChoiceForm,
    ScreeningForm,
)
from screening.handouts.status import (
    handout_as_status,
    handout_is_pending,
    handout_status_text,
)
from screening.models import Decision, Handout, Pharmacy, Screening
from screening.result_display import knowledge_names, result_for_display, screening_row
from screening.selectors.decisions import decisions_for_pharmacy
from screening.selectors.handouts import handout_get
from screening.selectors.pharmacies import caller_pharmacy
from screening.selectors.screenings import screening_get, screenings_for_pharmacy
from screening.services.decisions import DecisionRefused, decision_record, earlier_decisions
from screening.services.handouts import handout_default_language, handout_request
from screening.services.screenings import (
    screening_create,
    screening_rescreen_with_line,
    screening_result,
)

RECENT_PER_PAGE = 25
# Pages with patient data carry never_cache: after logging out, the back button must not
# show them from the browser's cache.


def _pharmacy_or_403(request: HttpRequest) -> Pharmacy:
    # A login that is not a pharmacist (an admin account, say) has no screenings to act for.
    pharmacy = caller_pharmacy(request.user)
    if pharmacy is None:
        raise PermissionDenied("This account does not belong to a pharmacy.")
    return pharmacy


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _screen_page(
    request: HttpRequest,
    *,
    form: ScreeningForm,
    screening: Screening | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "screening": screening,
        "pharmacy": caller_pharmacy(request.user),
        "nav": "screen" if screening is None else None,
    }
    if screening is not None:
        results = result_for_display(screening_result(screening), names=knowledge_names())
        results.attach_decisions(
            {d.issue_key: d for d in screening.decisions.order_by("created")},
            earlier_decisions(screening=screening),
        )
        context["results"] = results
        context["decision_form"] = DecisionForm()
        context["handout_form"] = HandoutForm(
            initial={"language": handout_default_language(screening)}
        )
        context["latest_handout"] = screening.handouts.order_by("-created").first()
    return render(request, "counter/screen.html", context, status=status)


def _pharmacist_name(user) -> str:
    # A login's full name may be up to 301 characters; the handout keeps 120 (PostgreSQL
    # refuses a longer value outright).
    name = user.get_full_name() or user.get_username()
    return name[: Handout._meta.get_field("pharmacist_name").max_length]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def screen(request: HttpRequest) -> HttpResponse:
    pharmacy = _pharmacy_or_403(request)
    if request.method == "GET":
        return _screen_page(request, form=ScreeningForm())
    form = ScreeningForm(request.POST)
    if not form.is_valid():
        return _screen_page(request, form=form, status=400)
    screening = screening_create(
        pharmacy=pharmacy,
        source=Screening.Source.COUNTER,
        user=request.user,
        **form.screening_input(),
    )
    # Post/redirect/get: a reload shows the results again instead of screening twice.
    return redirect(
        reverse("counter:screening-detail", args=[screening.id]) + "#results", permanent=False
    )


@never_cache
@login_required
@require_GET
def screening_detail(request: HttpRequest, screening_id) -> HttpResponse:
    screening = screening_get(pharmacy=caller_pharmacy(request.user), screening_id=screening_id)
    form = ScreeningForm(initial=ScreeningForm.initial_from_request(screening.request))
    return _screen_page(request, form=form, screening=screening)


@login_required
@require_POST
def screening_choose_line(request: HttpRequest, screening_id) -> HttpResponse:
    """Confirm a probable line (or pick another suggestion): a new, corrected screening."""
    pharmacy = caller_pharmacy(request.user)
    screening = screening_get(pharmacy=pharmacy, screening_id=screening_id)
    choice = LineChoiceForm(request.POST, result=screening_result(screening))
    if not choice.is_valid():
        # Only a tampered or stale form gets here: the buttons offer valid choices only.
        return HttpResponse(
            "That choice is not available for this screening.",
            status=400,
            content_type="text/plain",
        )
    corrected = screening_rescreen_with_line(
        screening=screening,
        list_kind=choice.cleaned_data["list_name"],
        index=choice.cleaned_data["index"],
        name=choice.cleaned_data["name"],
        user=request.user,
    )
    anchor = f"#line-{choice.cleaned_data['list_name']}-{choice.cleaned_data['index']}"
    return redirect(reverse("counter:screening-detail", args=[corrected.id]) + anchor)


@never_cache
@login_required
@require_GET
def screening_list(request: HttpRequest) -> HttpResponse:
    pharmacy = _pharmacy_or_403(request)
    screenings = (
        screenings_for_pharmacy(pharmacy=pharmacy).select_related("created_by").order_by("-created")
    )
    page = Paginator(screenings, RECENT_PER_PAGE).get_page(request.GET.get("page"))
    rows = [screening_row(screening) for screening in page.object_list]
    return render(
        request,
        "counter/screening_list.html",
        {"page": page, "rows": rows, "pharmacy": pharmacy, "nav": "list"},
    )


@login_required
@require_POST
def handout_create(request: HttpRequest, screening_id) -> HttpResponse:
    screening = screening_get(pharmacy=caller_pharmacy(request.user), screening_id=screening_id)
    form = HandoutForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        problems = " ".join(
            f"{form.fields[name].label}: {' '.join(messages)}"
            for name, messages in form.errors.items()
        )
        return HttpResponse(problems, status=400, content_type="text/plain")
    handout = handout_request(
        screening=screening,
        language=form.cleaned_data["language"],
        patient_name=form.cleaned_data["patient_name"],
        pharmacist_name=_pharmacist_name(request.user),
        reviewed_by=request.user,
    )
    if _wants_json(request):
        return JsonResponse(handout_as_status(handout), status=202)
    return redirect("counter:handout-detail", handout_id=handout.id)


@never_cache
@login_required
@require_GET
def handout_detail(request: HttpRequest, handout_id) -> HttpResponse:
    """The no-JavaScript way to wait for a handout: a page that refreshes until it is ready."""
    handout = handout_get(pharmacy=caller_pharmacy(request.user), handout_id=handout_id)
    return render(
        request,
        "counter/handout_detail.html",
        {
            "handout": handout,
            "status_text": handout_status_text(handout),
            "pending": handout_is_pending(handout),
            "pdf_url": handout_as_status(handout)["pdf_url"],
            "pharmacy": caller_pharmacy(request.user),
        },
    )


@never_cache
@login_required
@require_GET
def handout_status(request: HttpRequest, handout_id) -> JsonResponse:
    handout = handout_get(pharmacy=caller_pharmacy(request.user), handout_id=handout_id)
    return JsonResponse(handout_as_status(handout))


@login_required
@require_POST
def decision_create(request: HttpRequest, screening_id) -> HttpResponse:
    """Acknowledge or override one issue: recorded, then back to the screening."""
    screening = screening_get(pharmacy=caller_pharmacy(request.user), screening_id=screening_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        problems = " ".join(" ".join(messages) for messages in form.errors.values())
        return HttpResponse(problems, status=400, content_type="text/plain")
    try:
        decision_record(
            screening=screening,
            issue_key=form.cleaned_data["issue_key"],
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
            source=Decision.Source.COUNTER,
            user=request.user,
        )
    except DecisionRefused as error:
        return HttpResponse(str(error), status=400, content_type="text/plain")
    return redirect(reverse("counter:screening-detail", args=[screening.id]) + "#act-now")


DECISIONS_PER_PAGE = 50


@never_cache
@login_required
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    """The pharmacy's decisions, newest first, filtered; read only."""
    pharmacy = _pharmacy_or_403(request)
    filters = DecisionFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    decisions = decisions_for_pharmacy(pharmacy=pharmacy, **criteria)
    page = Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "counter/decision_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "pharmacy": pharmacy,
            "nav": "decisions",
        },
    )
