"""The maps' words and place names in the active language (the request's, from LocaleMiddleware
and the profile).

gis.maps takes every word through a MapLabels with English defaults; ``map_labels()`` fills one
with this catalogue's translations. Admin units and villages carry a Vietnamese and an English
name: the maps show the English one when the page is in English and the unit has one, the
Vietnamese one otherwise (and always the Vietnamese in Vietnamese).
"""

from collections.abc import Mapping

from django.utils.translation import gettext, pgettext

from app.accounts.language import in_english
from app.registry.models import AdminUnit
from gis import maps


def map_labels() -> maps.MapLabels:
    """Every word of the maps in the active language."""
    return maps.MapLabels(
        coverage_title=gettext("Confirmed hazardous area released by 31 December {year}"),
        district_title=gettext("{name}: hazard and land release by 31 December {year}"),
        # xgettext:no-python-format
        choropleth_layer=gettext("% of CHA released by end of {year}"),
        # xgettext:no-python-format
        pct_heading=gettext("% of CHA released"),
        no_cha_recorded=gettext("No CHA recorded"),
        legend_heading=gettext("Legend"),
        boundary_layer=gettext("Boundary"),
        remaining_cha=gettext("Remaining CHA"),
        released_layer=gettext("Released land by method"),
        villages_layer=gettext("Villages by survey status"),
        basemap_layer=gettext("OpenStreetMap basemap (needs internet)"),
        unit_link=gettext("Map of {name}"),
        methods={
            "cleared": gettext("Released: cleared"),
            "reduced": gettext("Released: reduced (technical survey)"),
            "cancelled": gettext("Released: cancelled (non-technical survey)"),
        },
        survey_legend={
            "none": gettext("Village: no survey yet"),
            "nts": gettext("Village: non-technical survey done"),
            "ts": gettext("Village: technical survey done"),
        },
        survey_status={
            "none": gettext("no survey yet"),
            "nts": gettext("non-technical survey done"),
            "ts": gettext("technical survey done"),
        },
        tooltip={
            "name": pgettext("map tooltip", "Unit"),
            "cha_ha": pgettext("map tooltip", "CHA"),
            "released_ha": pgettext("map tooltip", "Released"),
            "released_pct": pgettext("map tooltip", "Released %"),
            "cleared_vs_target": pgettext("map tooltip", "Cleared this year / target"),
        },
        village=pgettext("map tooltip", "Village"),
        survey=pgettext("map tooltip", "Survey"),
        no_data=gettext("no data"),
        no_target=gettext("no target"),
        no_cha=gettext("no CHA"),
        cleared_vs_target=gettext("{cleared} ha in {year} / {target}"),
        small_cha_note=gettext("CHA under {threshold} ha: the percentage rests on {cha} ha"),
        small_cha_legend=gettext(
            "Hatched: CHA under {threshold} ha (the percentage rests on little land)"
        ),
        hazards_layer=gettext("Hazard areas (records)"),
        releases_layer=gettext("Releases (records)"),
        unit_names_layer=gettext("Unit names"),
        record_fields={
            "reference": gettext("Reference"),
            "kind": gettext("Kind"),
            "contamination": gettext("Contamination"),
            "organisation": gettext("Organisation"),
            "recorded_on": gettext("Recorded on"),
            "status": gettext("Review status"),
            "area_ha": gettext("Area (ha)"),
            "method": gettext("Method"),
            "started_on": gettext("Started on"),
            "completed_on": gettext("Completed on"),
            "depth_cm": gettext("Depth (cm)"),
        },
        year_choice=gettext("Year"),
        show_choice=pgettext("map year choice", "Show"),
        boundary_choice=gettext("Boundary set"),
        boundary_sets={"2019": gettext("Districts (2019)"), "2025": gettext("Communes (2025)")},
    )


def province_map_title(*, year: int, level: str, boundary_set: str) -> str:
    if level == "district":
        template = gettext(
            # xgettext:no-python-format
            "Quảng Trị: % of confirmed hazardous area released by 31 December {year}, by "
            "district ({boundary_set} boundaries)"
        )
    else:
        template = gettext(
            # xgettext:no-python-format
            "Quảng Trị: % of confirmed hazardous area released by 31 December {year}, by "
            "commune ({boundary_set} boundaries)"
        )
    return template.format(year=year, boundary_set=boundary_set)


def synthetic_note() -> str:
    return gettext("Synthetic demo data: not the real contamination of Quảng Trị")


def unit_names(*, boundary_set: str, level: str) -> Mapping[str, str]:
    """English names by code of the units of ``boundary_set`` at ``level``, when the page is in
    English; empty otherwise."""
    if not in_english():
        return {}
    return dict(
        AdminUnit.objects.filter(boundary_set=boundary_set, level=level)
        .exclude(name_en="")
        .values_list("code", "name_en")
    )
