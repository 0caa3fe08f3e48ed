"""The annual and the period report (issue 11, §3): ``/reports/annual/<year>/`` and
``/reports/period/<from>-<to>/``, as a printable page (default), ``format=pdf`` or
``format=docx``, in ``lang=vi|en`` (default: the reader's language).

Who may read it: whoever may read the statistics by organisation (policy.can_read_statistics),
aggregates-only users included, since it holds aggregates and maps of percentages only; which
records it counts: the reader's scope (policy.reading_scope), with ``include=submitted`` and
``as_recorded`` as the statistics endpoints take them. A wrong parameter gets the site's 400 page
naming it. Counted against the expensive endpoints' rate limit: a PDF takes seconds to print.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from app.accounting.exceptions import InvalidReportParameter
from app.accounting.selectors.clearance import BY_ORGANISATION
from app.accounts import policy
from app.accounts.rate_limits import rate_limited
from app.registry.scopes import BeforeHistory
from app.reports import params
from app.reports.generation import build_report, report_file


@rate_limited
@require_GET
def annual(request: HttpRequest, year: str) -> HttpResponse:
    return _report(request, lambda: params.annual_years(year))


@rate_limited
@require_GET
def period(request: HttpRequest, span: str) -> HttpResponse:
    return _report(request, lambda: params.period_years(span))


def _report(request: HttpRequest, years) -> HttpResponse:
    # The report holds figures by organisation and by commune: the statistics' widest grouping.
    if not policy.can_read_statistics(request.user, by=BY_ORGANISATION):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "403.html",
            {"exception": _("Your account has no role that may read data.")},
            status=403,
        )
    try:
        asked = params.report_request(years=years(), query=request.GET)
        scope = policy.reading_scope(
            request.user,
            include_submitted=asked.include_submitted,
            as_recorded=asked.as_recorded,
        )
    except params.BadReportParameter as refused:
        return _bad_request(request, refused.message)
    except policy.NotAllowed as refused:
        return render(request, "403.html", {"exception": refused.message}, status=403)
    language = asked.language or translation.get_language()
    try:
        document = build_report(
            from_year=asked.from_year, to_year=asked.to_year, scope=scope, language=language
        )
    except (InvalidReportParameter, BeforeHistory) as refused:
        return _bad_request(request, f"{refused.parameter}: {refused.message}")
    if asked.file_format == "html":
        with translation.override(language):
            return render(
                request,
                "reports/page.html",
                {"document": document, "links": _format_links(request, language)},
            )
    printed = report_file(document, file_format=asked.file_format)
    response = HttpResponse(printed.content, content_type=printed.content_type)
    response["Content-Disposition"] = f'attachment; filename="{printed.file_name}"'
    return response


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "400.html", {"message": message}, status=400)


def _format_links(request: HttpRequest, language: str) -> list[dict]:
    """The same report as PDF and as Word, and in the other languages."""
    query = {key: value for key, value in request.GET.items() if key not in ("format", "lang")}
    links = [
        {"label": label, "query": urlencode({**query, "lang": language, "format": file_format})}
        for file_format, label in (("pdf", "PDF"), ("docx", "Word (DOCX)"))
    ]
    links += [
        {"label": name, "query": urlencode({**query, "lang": code})}
        for code, name in settings.LANGUAGES
        if code != language
    ]
    return links
