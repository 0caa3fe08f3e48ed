"""``/tiles/<layer>/<z>/<x>/<y>.mvt``: the maps' heavy layers as Mapbox Vector Tiles.

Same permissions and scopes as the GeoJSON lists: every layer draws exact polygons (records, or
land cut from them), so anonymous visitors and aggregates-only users are refused (403); approved
records by default, ``include=submitted`` pending work for those who may see it (an analyst
everyone's, a field coordinator their organisation's). ``year``: as of 31 December of it, like
the maps (default: the last year with data). Answers are no-store (exact positions) and counted
against the tiles' own rate limits. Refusals are JSON ``{"error": ...}`` as in the API.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from app.accounts import policy
from app.accounts.headers import exact_positions
from app.accounts.rate_limits import count_request
from app.maps import params, selectors, tile_cache, tiles
from app.maps.models import TileLayer
from app.registry.scopes import reading

MVT_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _integer(name: str, raw: str) -> int:
    if not raw.isdigit():
        raise tiles.TileOutOfRange(
            _("%(name)s must be a whole number, not %(given)r") % {"name": name, "given": raw}
        )
    return int(raw)


@exact_positions
@require_GET
def tile(request: HttpRequest, layer: str, z: str, x: str, y: str) -> HttpResponse:
    if not policy.can_view_data(request.user):
        return _error(_("Sign in with an account that may read data to see map tiles."), 403)
    if not policy.sees_polygons(request.user):
        return _error(
            _(
                "Your account shows aggregates only, and map tiles draw exact hazard and release "
                "polygons."
            ),
            403,
        )
    wait_seconds = count_request(request, kind="tiles")
    if wait_seconds is not None:
        response = _error(
            _("Too many tile requests: try again in %(seconds)s s.") % {"seconds": wait_seconds},
            429,
        )
        response["Retry-After"] = str(wait_seconds)
        return response
    if layer not in TileLayer.values:
        return _error(
            _("layer must be one of %(layers)s, not %(given)r")
            % {"layers": ", ".join(TileLayer.values), "given": layer},
            404,
        )
    try:
        address = tiles.tile_address(
            z=_integer("z", z),
            x=_integer("x", x),
            y=_integer("y", y),
            min_zoom=tiles.min_zoom(layer),
        )
        year = params.year(request)
        include_submitted = params.include_submitted(request)
    except tiles.TileOutOfRange as error:
        return _error(error.message, 400)
    except params.BadParameter as error:
        return _error(str(error), 400)
    try:
        scope = policy.reading_scope(request.user, include_submitted=include_submitted)
    except policy.NotAllowed as refused:
        return _error(refused.message, 403)
    with reading(scope):
        mvt = tile_cache.cached_tile_mvt(
            layer=layer, year=year or selectors.latest_data_year(), tile=address
        )
    return HttpResponse(mvt, content_type=MVT_MEDIA_TYPE)
