"""The tile cache (app.maps.tile_cache): a tile is served from it until a write touches the
tile; the triggers of migrations/maps/0002 drop exactly the tiles the old or new geometry of a
changed hazard or release meets."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from app.maps.models import CachedTile
from tests import factories

from .factories import INSIDE_465, square
from .mvt import tile_of

pytestmark = pytest.mark.django_db

LON, LAT = INSIDE_465
Z = 14
HERE = tile_of(LON, LAT, Z)
# 0.1° east: eight tiles away at zoom 14.
ELSEWHERE = tile_of(LON + 0.1, LAT, Z)


def get(client, layer, tile):
    response = client.get(f"/tiles/{layer}/{Z}/{tile[0]}/{tile[1]}.mvt?year=2023")
    assert response.status_code == 200
    return response.content


def cached(layer, tile) -> bool:
    return CachedTile.objects.filter(layer=layer, z=Z, x=tile[0], y=tile[1]).exists()


def test_a_tile_is_served_from_the_cache_without_recomputation(client):
    factories.hazard(square(LON, LAT, 0.001))
    first = get(client, "hazards", HERE)
    # What the cache holds is what is served: change it behind the registry's back.
    CachedTile.objects.filter(layer="hazards", z=Z, x=HERE[0], y=HERE[1]).update(mvt=b"cached")

    assert first
    assert get(client, "hazards", HERE) == b"cached"


def test_a_write_inside_a_tile_drops_it_and_one_elsewhere_keeps_it(client):
    factories.hazard(square(LON, LAT, 0.001))
    factories.hazard(square(LON + 0.1, LAT, 0.001))
    for tile in (HERE, ELSEWHERE):
        for layer in ("remaining-cha", "released", "releases"):
            get(client, layer, tile)
    assert cached("released", HERE) and cached("released", ELSEWHERE)

    factories.release(square(LON, LAT, 0.0005), completed_on=date(2023, 3, 1))

    for layer in ("remaining-cha", "released", "releases"):
        assert not cached(layer, HERE)
        assert cached(layer, ELSEWHERE)
    assert get(client, "released", HERE)  # drawn again, with the new release


def test_moving_a_record_away_drops_the_tile_it_left(client):
    release = factories.release(square(LON + 0.1, LAT, 0.0005), completed_on=date(2023, 3, 1))
    get(client, "releases", HERE)
    get(client, "releases", ELSEWHERE)

    release.geometry = factories.multipolygon(square(LON + 0.3, LAT, 0.0005))
    release.save()

    assert cached("releases", HERE)
    assert not cached("releases", ELSEWHERE)


def test_approving_a_record_drops_the_tiles_it_lies_in(client):
    release = factories.release(
        square(LON, LAT, 0.0005), completed_on=date(2023, 3, 1), status="submitted"
    )
    assert get(client, "releases", HERE) == b""  # approved records only: nothing yet

    release.status = "approved"
    release.save()

    assert not cached("releases", HERE)
    assert get(client, "releases", HERE) != b""


def test_a_write_takes_the_accounting_lock_before_the_generation_row():
    """Every registry writer takes the accounting store's advisory lock before the generation
    row's lock (migrations/maps/0003), the order of the accounting triggers: the opposite order
    in two writers deadlocks."""
    with transaction.atomic():
        factories.hazard(square(LON, LAT, 0.001))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND pid = pg_backend_pid() AND granted "
                "AND objid = hashtext('landrelease.accounting')::oid"
            )
            held = cursor.fetchone()[0]

    assert held == 1


ACCOUNTING_LOCK_WAITING = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
    "AND objid = hashtext('landrelease.accounting')::oid"
)


@pytest.mark.django_db(transaction=True)
def test_a_write_waits_for_the_accounting_lock_before_it_locks_the_generation_row():
    """Another writer holding the accounting's advisory lock (an accounting trigger) and about
    to take the generation row is never waited on by a registry write holding that row: the
    write waits for the advisory lock first, with no lock of ours taken yet."""
    factories.hazard(square(LON, LAT, 0.001))  # the generation row exists
    failures = []

    def write() -> None:
        try:
            factories.hazard(square(LON + 0.01, LAT, 0.001))
        except Exception as error:  # noqa: BLE001 (reported by the test's assertion)
            failures.append(error)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('landrelease.accounting'))")
        writer.start()
        deadline = time.monotonic() + 10
        waiting = 0
        while not waiting and time.monotonic() < deadline:
            time.sleep(0.05)  # bounded: the writer's insert reaching its trigger
            cursor.execute(ACCOUNTING_LOCK_WAITING)
            waiting = cursor.fetchone()[0]
        # The writer waits on the advisory lock and holds neither the row nor a cached tile.
        cursor.execute("SELECT value FROM maps_registrygeneration WHERE id = 1 FOR UPDATE NOWAIT")
        locked_by_us = cursor.fetchone()
    writer.join(timeout=30)

    assert waiting == 1
    assert locked_by_us is not None
    assert not writer.is_alive() and failures == []
