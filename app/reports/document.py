"""The report laid out in words, tables and pictures, in the active language: what the page, the
PDF and the Word file print, block by block (app.reports.rendering), so the three never differ.

Every figure is written here, once, through gis.numbers.format_number in the reader's convention
(Vietnamese 1.234,56; English 1,234.56): hectares to 2 decimals and percentages to 1, as the
statistics' JSON rounds them, counts whole. Years are not figures and are written plainly. A
missing value (no target, no CHA) is a dash, never 0.
"""

import base64
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from app.accounting.report_json import forecast_method
from app.accounting.selectors import ClearanceRow, ForecastRow, ReleaseRow
from app.accounting.selectors.forecast import NO_CHA, NO_RELEASE_IN_YEARS, NOTHING_REMAINS
from app.accounting.selectors.ratios import period_target
from app.accounts.language import number_convention
from app.reports.content import ClearanceTable, ReportContent
from gis.numbers import format_number
from gis.report_charts import ForecastChartLabels, forecast_figure
from gis.report_maps import ReleasedMapLabels, UnitShare, figure_png, released_pct_figure

MISSING = "–"


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # The province or the period, printed in bold under the rows.
    total: tuple[str, ...] | None = None
    caption: str = ""
    kind: str = "table"


@dataclass(frozen=True)
class Picture:
    png: bytes
    caption: str
    kind: str = "picture"

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


Block = Paragraph | Table | Picture


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ReportDocument:
    language: str
    title: str
    # What the figures count and when they were taken: printed under the title.
    facts: tuple[str, ...]
    sections: tuple[Section, ...]
    # The download's file name, without its extension.
    file_stem: str


def report_document(content: ReportContent, *, small_cha_ha: float) -> ReportDocument:
    """The report of ``content`` in the active language; ``small_cha_ha``: the CHA under which a
    unit of the maps is hatched (settings.MAP_SMALL_CHA_HA)."""
    writer = _Writer()
    span = _span(content)
    if content.is_annual:
        title = _("Land release in Quảng Trị province: annual report %(year)s") % {
            "year": content.from_year
        }
        file_stem = f"landrelease-report-{content.from_year}"
    else:
        title = _("Land release in Quảng Trị province: report for %(from)s–%(to)s") % {
            "from": content.from_year,
            "to": content.to_year,
        }
        file_stem = f"landrelease-report-{content.from_year}-{content.to_year}"
    return ReportDocument(
        language=get_language(),
        title=title,
        facts=_facts(content),
        sections=(
            _plan_against_result(content, writer),
            _survey(content, writer),
            _spot_tasks(content, writer),
            _villages(content, writer),
            _clearance(
                content.clearance_by_district,
                heading=_("Clearance per district (2019 boundaries), %(years)s") % {"years": span},
                unit_header=_("District"),
                writer=writer,
                summed=not content.is_annual,
            ),
            _clearance(
                content.clearance_by_organisation,
                heading=_("Clearance per organisation, %(years)s") % {"years": span},
                unit_header=_("Organisation"),
                writer=writer,
                summed=not content.is_annual,
                note=_(
                    "Land cleared by two organisations counts in the row of each but once in the "
                    "province total, so the rows may add up to more than the total."
                ),
            ),
            _release(content, writer),
            _forecast(content, writer),
            _maps(content, writer, small_cha_ha=small_cha_ha),
        ),
        file_stem=f"{file_stem}-{get_language()}",
    )


class _Writer:
    """Figures in the active language's convention."""

    def __init__(self):
        self.numbers = number_convention()

    def ha(self, value: float | None) -> str:
        return (
            MISSING if value is None else format_number(value, decimals=2, convention=self.numbers)
        )

    def pct(self, value: float | None) -> str:
        if value is None:
            return MISSING
        return format_number(value, decimals=1, convention=self.numbers) + "%"

    def count(self, value: float | None) -> str:
        return MISSING if value is None else format_number(value, convention=self.numbers)


def _span(content: ReportContent) -> str:
    if content.is_annual:
        return str(content.from_year)
    return f"{content.from_year}–{content.to_year}"


def _day(day: date) -> str:
    # ISO dates read the same in both languages (31/12 or 12/31 would not).
    return day.isoformat()


def _facts(content: ReportContent) -> tuple[str, ...]:
    scope = content.scope
    if scope.as_recorded is not None:
        counted = _(
            "The figures are those of the registry as it stood at the end of %(day)s (approved "
            "records then), to reproduce the report as it was published."
        ) % {"day": _day(timezone.localtime(scope.as_recorded).date())}
    elif scope.include_submitted:
        described = scope.describe()
        whose = (
            _("every organisation's")
            if described["submitted_by"] is None
            else ", ".join(described["submitted_by"])
        )
        counted = _(
            "The figures include submitted work not yet approved (%(whose)s) besides the "
            "approved records."
        ) % {"whose": whose}
    else:
        counted = _("The figures count approved records only.")
    facts = [
        counted,
        _("Figures taken on %(moment)s.")
        % {"moment": f"{content.taken_at:%Y-%m-%d %H:%M} ({content.taken_at.tzname()})"},
        _(
            "Release of CHA and the forecast are as of %(day)s. Province figures are for the "
            "former Quảng Trị province (2019 boundaries), which the plans of 2016–2025 cover."
        )
        % {"day": _day(content.as_of)},
    ]
    if content.data_note:
        facts.append(content.data_note)
    return tuple(facts)


def _plan_against_result(content: ReportContent, w: _Writer) -> Section:
    progress = content.progress
    rows = tuple(
        (
            str(row.year),
            w.ha(row.cleared_ha),
            w.ha(row.target_ha),
            w.pct(row.pct_of_target),
            w.ha(row.newly_released_ha),
            w.ha(row.released_ha),
            w.pct(row.released_pct),
        )
        for row in progress.rows
    )
    total = progress.total
    return Section(
        heading=_("Plan against result"),
        blocks=(
            Paragraph(
                _(
                    "CHA in the province: %(cha)s ha (today's CHA polygons: the denominator of "
                    "every share of CHA released, in every year)."
                )
                % {"cha": w.ha(progress.cha_ha)}
            ),
            Table(
                headers=(
                    _("Year"),
                    _("Cleared (ha)"),
                    _("Target (ha)"),
                    _("% of target"),
                    _("CHA newly released (ha)"),
                    _("CHA released by year end (ha)"),
                    _("% of CHA released"),
                ),
                rows=rows,
                # One year's total is that year's row: printed for a period only.
                total=None
                if content.is_annual
                else (
                    _span(content),
                    w.ha(total.cleared_ha),
                    w.ha(total.target_ha),
                    w.pct(total.pct_of_target),
                    w.ha(total.newly_released_ha),
                    w.ha(total.released_ha),
                    w.pct(total.released_pct),
                ),
            ),
        ),
    )


def _survey(content: ReportContent, w: _Writer) -> Section:
    """The survey work of each year against its target: land released by non-technical or
    technical survey (cancelled or reduced) completed in the year, as the progress report counts
    it."""
    progress = content.progress
    return Section(
        heading=_("Hectares surveyed (cancelled or reduced)"),
        blocks=(
            Table(
                headers=(
                    _("Year"),
                    _("Surveyed: cancelled or reduced (ha)"),
                    _("Survey target (ha)"),
                    # xgettext:no-python-format
                    _("% of survey target"),
                ),
                rows=tuple(
                    (
                        str(row.year),
                        w.ha(row.surveyed_ha),
                        w.ha(row.surveyed_target_ha),
                        w.pct(row.pct_of_surveyed_target),
                    )
                    for row in progress.rows
                ),
                total=None
                if content.is_annual
                else (
                    _span(content),
                    w.ha(progress.total.surveyed_ha),
                    w.ha(progress.total.surveyed_target_ha),
                    w.pct(progress.total.pct_of_surveyed_target),
                ),
            ),
        ),
    )


def _spot_tasks(content: ReportContent, w: _Writer) -> Section:
    progress = content.progress
    return Section(
        heading=_("Spot tasks and items destroyed"),
        blocks=(
            Table(
                headers=(
                    _("Year"),
                    _("Spot tasks"),
                    _("Target"),
                    _("Items destroyed"),
                    _("Target"),
                ),
                rows=tuple(
                    (
                        str(row.year),
                        w.count(row.spot_tasks),
                        w.count(row.spot_tasks_target),
                        w.count(row.items_destroyed),
                        w.count(row.items_destroyed_target),
                    )
                    for row in progress.rows
                ),
                total=None
                if content.is_annual
                else (
                    _span(content),
                    w.count(progress.total.spot_tasks),
                    w.count(period_target(row.spot_tasks_target for row in progress.rows)),
                    w.count(progress.total.items_destroyed),
                    w.count(period_target(row.items_destroyed_target for row in progress.rows)),
                ),
            ),
        ),
    )


def _villages(content: ReportContent, w: _Writer) -> Section:
    progress = content.progress
    return Section(
        heading=_("Villages surveyed"),
        blocks=(
            Paragraph(
                _(
                    "Villages whose non-technical or technical survey was completed by the year "
                    "end, of the %(villages)s villages in the province."
                )
                % {"villages": w.count(progress.villages)}
            ),
            Table(
                headers=(
                    _("Year"),
                    _("Villages surveyed"),
                    # xgettext:no-python-format
                    _("% of villages"),
                ),
                rows=tuple(
                    (
                        str(row.year),
                        w.count(row.villages_surveyed),
                        w.pct(row.villages_surveyed_pct),
                    )
                    for row in progress.rows
                ),
            ),
        ),
    )


def _clearance(
    table: ClearanceTable,
    *,
    heading: str,
    unit_header: str,
    writer: _Writer,
    summed: bool,
    note: str = "",
) -> Section:
    w = writer

    def cells(name: str, row: ClearanceRow) -> tuple[str, ...]:
        return (
            name,
            w.ha(row.cleared_ha),
            w.ha(row.target_ha),
            w.pct(row.pct_of_target),
            w.count(row.spot_tasks),
            w.count(row.items_destroyed),
        )

    blocks: list[Block] = []
    if summed:
        blocks.append(
            Paragraph(
                _(
                    "Sums of the yearly figures; a target is shown only where every year of the "
                    "period has one."
                )
            )
        )
    blocks.append(
        Table(
            headers=(
                unit_header,
                _("Cleared (ha)"),
                _("Target (ha)"),
                _("% of target"),
                _("Spot tasks"),
                _("Items destroyed"),
            ),
            rows=tuple(cells(row.name, row) for row in table.rows),
            total=cells(_("Province"), table.total),
        )
    )
    if note:
        blocks.append(Paragraph(note))
    return Section(heading=heading, blocks=tuple(blocks))


def _release(content: ReportContent, w: _Writer) -> Section:
    report = content.release_by_district

    def cells(name: str, row: ReleaseRow) -> tuple[str, ...]:
        return (
            name,
            w.ha(row.cha_ha),
            w.ha(row.released_ha),
            w.ha(row.cleared_ha),
            w.ha(row.reduced_ha),
            w.ha(row.cancelled_ha),
            w.pct(row.released_pct),
        )

    return Section(
        heading=_("Release of CHA by method, as of %(day)s") % {"day": _day(content.as_of)},
        blocks=(
            Paragraph(
                _(
                    "Released CHA is the CHA covered by a release completed on or before "
                    "%(day)s, counted once however many releases cover it, and split by method "
                    "with priority cleared, then reduced (technical survey), then cancelled "
                    "(non-technical survey). The denominator of the percentage is today's CHA "
                    "(the union of CHA polygons within each district, SHA excluded): %(cha)s ha "
                    "in the province."
                )
                % {"day": _day(content.as_of), "cha": w.ha(report.total.cha_ha)}
            ),
            Table(
                headers=(
                    _("District"),
                    _("CHA (ha)"),
                    _("Released (ha)"),
                    _("Cleared (ha)"),
                    _("Reduced (ha)"),
                    _("Cancelled (ha)"),
                    _("% of CHA released"),
                ),
                rows=tuple(cells(row.name, row) for row in report.rows),
                total=cells(_("Province"), report.total),
            ),
            Paragraph(
                _(
                    "Besides the CHA: %(sha)s ha of SHA in the province, and %(outside)s ha "
                    "cleared outside every CHA (work done, not CHA released)."
                )
                % {
                    "sha": w.ha(report.total.sha_ha),
                    "outside": w.ha(report.total.cleared_outside_cha_ha),
                }
            ),
        ),
    )


def _forecast(content: ReportContent, w: _Writer) -> Section:
    province = content.forecast_by_province
    by_district = content.forecast_by_district
    counted = province.years
    (province_row,) = province.rows or (province.total,)

    def released(name: str, row: ForecastRow) -> tuple[str, ...]:
        return (
            name,
            w.ha(row.cha_ha),
            w.ha(row.released_ha),
            w.ha(row.remaining_ha),
            *(w.ha(year.newly_released_ha) for year in row.released_by_year),
        )

    def projected(name: str, row: ForecastRow) -> tuple[str, ...]:
        return (
            name,
            w.ha(row.pace_mean_ha),
            w.ha(row.pace_low_ha),
            w.ha(row.pace_high_ha),
            _projected_year(row, row.year_at_mean_pace),
            _projected_year(row, row.year_at_low_pace),
            _projected_year(row, row.year_at_high_pace),
        )

    chart = forecast_figure(
        recorded=content.remaining_by_year,
        start_year=province.as_of.year,
        remaining_ha=province_row.remaining_ha,
        pace_mean_ha=province_row.pace_mean_ha,
        pace_low_ha=province_row.pace_low_ha,
        pace_high_ha=province_row.pace_high_ha,
        labels=ForecastChartLabels(
            title=_("Remaining CHA in the province, recorded and projected"),
            recorded=_("Remaining CHA at the year end (recorded)"),
            mean_pace=_("Projection at the mean pace"),
            pace_range=_("Between the low and the high pace"),
            axis_ha=_("Remaining CHA (ha)"),
            axis_year=_("Year"),
        ),
        numbers=w.numbers,
    )
    if province_row.year_at_mean_pace is not None:
        summary = _(
            "At the mean pace of %(pace)s ha a year, the %(remaining)s ha of CHA remaining on "
            "%(day)s would be released by %(year)s (between %(high_year)s at the high pace and "
            "%(low_year)s at the low pace)."
        ) % {
            "pace": w.ha(province_row.pace_mean_ha),
            "remaining": w.ha(province_row.remaining_ha),
            "day": _day(province.as_of),
            "year": province_row.year_at_mean_pace,
            "high_year": _projected_year(province_row, province_row.year_at_high_pace),
            "low_year": _projected_year(province_row, province_row.year_at_low_pace),
        }
    else:
        summary = _("No year can be projected for the province: %(reason)s.") % {
            "reason": _reason(province_row)
        }
    released_headers = (
        _("Unit"),
        _("CHA (ha)"),
        _("Released (ha)"),
        _("Remaining (ha)"),
        *(_("Released in %(year)s (ha)") % {"year": year} for year in counted),
    )
    projected_headers = (
        _("Unit"),
        _("Mean pace (ha/year)"),
        _("Low pace (ha/year)"),
        _("High pace (ha/year)"),
        _("Year at the mean pace"),
        _("Year at the low pace"),
        _("Year at the high pace"),
    )
    return Section(
        heading=_("Forecast: when would the remaining CHA be released?"),
        blocks=(
            Paragraph(
                _(
                    "This is a projection from recorded work, not a plan: it assumes that CHA "
                    "goes on being released at the pace of the last complete years."
                )
            ),
            Paragraph(summary),
            Picture(png=figure_png(chart), caption=forecast_method(province)),
            Table(
                headers=released_headers,
                rows=tuple(released(row.name, row) for row in by_district.rows),
                total=released(_("Province"), province_row),
                caption=_("Remaining CHA and the CHA newly released in each year counted"),
            ),
            Table(
                headers=projected_headers,
                rows=tuple(projected(row.name, row) for row in by_district.rows),
                total=projected(_("Province"), province_row),
                caption=_("Pace and projected year of release"),
            ),
        ),
    )


def _projected_year(row: ForecastRow, year: int | None) -> str:
    if year is not None:
        return str(year)
    if row.reason is None:
        # Only the low pace can be 0 with a mean above 0 (a year without release).
        return _("never at this pace")
    return _reason(row)


def _reason(row: ForecastRow) -> str:
    return {
        NO_CHA: _("no CHA"),
        NOTHING_REMAINS: _("nothing remains"),
        NO_RELEASE_IN_YEARS: _("no release in the years counted"),
    }.get(row.reason, row.reason or "")


def _maps(content: ReportContent, w: _Writer, *, small_cha_ha: float) -> Section:
    day = _day(content.as_of)

    def picture(*, outlines: dict, rows, title: str, caption: str) -> Picture:
        figure = released_pct_figure(
            units=outlines,
            shares={
                row.code: UnitShare(cha_ha=row.cha_ha, released_pct=row.released_pct)
                for row in rows
            },
            small_cha_ha=small_cha_ha,
            labels=ReleasedMapLabels(
                title=title,
                legend_heading=_("% of CHA released"),
                no_cha=_("No CHA"),
                small_cha_note=_(
                    "Hatched: CHA under {threshold} ha; its percentage may come from a sliver of "
                    "a CHA crossing the boundary"
                ),
            ),
            numbers=w.numbers,
        )
        return Picture(png=figure_png(figure), caption=caption)

    return Section(
        heading=_("Maps of CHA released"),
        blocks=(
            picture(
                outlines=content.district_outlines,
                rows=content.release_by_district.rows,
                title=_("%% of CHA released per district (2019), as of %(day)s") % {"day": day},
                caption=_("Districts of the former province (2019 boundaries)."),
            ),
            picture(
                outlines=content.commune_outlines,
                rows=content.release_by_commune.rows,
                title=_("%% of CHA released per commune (2025), as of %(day)s") % {"day": day},
                caption=_("Communes of the merged province (2025 boundaries)."),
            ),
        ),
    )
