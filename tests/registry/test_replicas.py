"""Reads on a real streaming replica (issue 9): reports, maps and lists are answered by a hot
standby of the test cluster, writes go to the primary and reach the standby, and a standby that
is down, lagging or not yet caught up with a client's own write is passed over for the primary.

The standby is made once for the module (tests/standby.py: pg_basebackup -R of the cluster the
tests run on) and removed at its end, failed or not. Its data is what the primary committed, so
these tests commit (``transaction=True``); pytest-django flushes the tables after each one, and
the admin units the reports need are loaded again when a previous test flushed them.
"""

import re
from datetime import date
from urllib.parse import quote

import pytest
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from app.accounting.selectors import release_report
from app.registry import replicas
from app.registry.models import AdminUnit
from app.settings import replica_database
from tests import factories, standby
from tests.accounting.shapes import HUONG_HOA_LAT, HUONG_HOA_LON, ha, square

pytestmark = [
    pytest.mark.skipif(
        standby.pg_basebackup() is None,
        reason="pg_basebackup is not installed (Debian: postgresql-client-15): no replica to start",
    ),
    # replica_1 exists from the module's fixture on: Django lets a test use the aliases it names,
    # and leaves a mirror out of the flush after it (a standby refuses writes).
    pytest.mark.django_db(transaction=True, databases=["default", "replica_1"]),
]

ALIAS = "replica_1"
LON, LAT = HUONG_HOA_LON, HUONG_HOA_LAT
CHA = square(LON, LAT, 0.02)
APPROVED = square(LON - 0.01, LAT - 0.01, 0.004)
# Another organisation's work waiting for review: no default report or list may count it.
SUBMITTED = square(LON + 0.01, LAT + 0.01, 0.004)
# The registry tables the reports, maps and lists read.
# What the reports, maps and lists read: the records, and the accounting store kept from them.
REGISTRY_TABLES = (
    "registry_releasearea",
    "registry_hazardarea",
    "registry_spottask",
    "accounting_unitseries",
    "accounting_unitarea",
    "accounting_unittasks",
)
READS = [
    ("/api/v1/stats/release/", {"as_of": "2023-12-31"}),
    ("/api/v1/stats/clearance/", {"year": 2023}),
    ("/api/v1/stats/progress/", {"from": 2016, "to": 2025}),
    ("/maps/coverage/", {"year": 2023}),
    ("/api/v1/releases/", {}),
]


@pytest.fixture(scope="module")
def cluster(django_db_setup):
    primary = connections["default"].settings_dict
    with standby.running_standby(primary) as running:
        add_replica(primary, port=running.port)
        try:
            yield running
        finally:
            remove_replica()


@pytest.fixture
def primary() -> dict:
    return connections["default"].settings_dict


def add_replica(primary: dict, *, port: int) -> None:
    """replica_1 as DATABASE_REPLICA_URLS would make it, on 127.0.0.1:port."""
    password = quote(primary["PASSWORD"] or "", safe="")
    url = f"postgres://{quote(primary['USER'])}:{password}@127.0.0.1:{port}/{primary['NAME']}"
    database = replica_database(url)
    connections.settings[ALIAS] = connections.configure_settings(
        {**connections.settings, ALIAS: database}
    )[ALIAS]
    replicas.forget_verdicts()


@pytest.fixture
def replica(cluster, primary, transactional_db):
    """The standby as replica_1; the registry of two organisations, committed and replayed."""
    if not AdminUnit.objects.exists():
        from app.registry.services.admin_units import load_admin_units

        load_admin_units()
    factories.hazard(CHA)
    factories.release(APPROVED, completed_on=date(2023, 3, 1), org="npa")
    factories.release(SUBMITTED, completed_on=date(2023, 4, 1), org="mag", status="submitted")
    standby.wait_for_replay(primary, cluster)
    replicas.forget_verdicts()
    return ALIAS


def remove_replica() -> None:
    if ALIAS in connections.settings:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]
    replicas.forget_verdicts()


class Statements:
    """The SQL each database ran while the block ran."""

    def __init__(self, alias: str):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections[alias])

    def __enter__(self):
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @staticmethod
    def reading_registry(captured: CaptureQueriesContext) -> list[str]:
        return [
            query["sql"]
            for query in captured.captured_queries
            if any(table in query["sql"] for table in REGISTRY_TABLES)
        ]

    @property
    def registry_on_primary(self) -> list[str]:
        return self.reading_registry(self.primary)

    @property
    def registry_on_replica(self) -> list[str]:
        return self.reading_registry(self.replica)


def huong_hoa(body: dict) -> dict:
    return next(row for row in body["rows"] if row["code"] == "465")


def in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def test_reports_a_map_and_a_list_are_read_from_the_replica(replica, client):
    answers = {}
    for path, params in READS:
        with Statements(replica) as statements:
            response = client.get(path, params)
        assert response.status_code == 200, (path, response.content[:300])
        assert statements.registry_on_replica, path
        assert statements.registry_on_primary == [], path
        answers[path] = response

    assert in_recovery(replica)
    release = answers["/api/v1/stats/release/"].json()
    assert huong_hoa(release)["released_ha"] == pytest.approx(ha(APPROVED), abs=0.01)
    assert huong_hoa(release)["cha_ha"] == pytest.approx(ha(CHA), abs=0.01)
    assert answers["/api/v1/releases/"].json()["numberMatched"] == 1
    clearance = answers["/api/v1/stats/clearance/"].json()
    assert huong_hoa(clearance)["cleared_ha"] == pytest.approx(ha(APPROVED), abs=0.01)


def test_a_write_goes_to_the_primary_and_reaches_the_replica_the_writer_reads_the_primary_meanwhile(
    replica, client, primary, cluster
):
    target = {"year": 2023, "metric": "cleared_ha", "value": 40, "admin_unit": "465"}
    with Statements(replica) as statements:
        posted = client.post("/api/v1/targets/", target, content_type="application/json")
    assert posted.status_code == 201, posted.content
    assert any(q["sql"].startswith("INSERT") for q in statements.primary.captured_queries)
    assert statements.replica.captured_queries == []

    # Right after their own write the writer reads the primary, whatever the replica replayed.
    with Statements(replica) as statements:
        own = client.get("/api/v1/stats/clearance/", {"year": 2023}).json()
    assert statements.replica.captured_queries == []
    assert huong_hoa(own)["target_ha"] == 40

    standby.wait_for_replay(primary, cluster)
    someone_else = Client()
    someone_else.force_login(factories.user("planner"))
    with Statements(replica) as statements:
        theirs = someone_else.get("/api/v1/stats/clearance/", {"year": 2023}).json()
    assert statements.registry_on_replica
    assert huong_hoa(theirs)["target_ha"] == 40


def test_reads_inside_a_write_transaction_or_of_a_past_registry_stay_on_the_primary(
    replica, client
):
    with Statements(replica) as statements:
        with transaction.atomic():
            inside = release_report(as_of=date(2023, 12, 31), by="district")
        past = client.get(
            "/api/v1/stats/release/",
            {"as_of": "2023-12-31", "as_recorded": date.today().isoformat()},
        )

    assert past.status_code == 200, past.content
    assert statements.replica.captured_queries == []
    inside_huong_hoa = next(row for row in inside.rows if row.code == "465")
    assert inside_huong_hoa.released_ha == pytest.approx(ha(APPROVED), abs=0.01)
    assert huong_hoa(past.json())["released_ha"] == pytest.approx(ha(APPROVED), abs=0.01)


def test_a_lagging_replica_is_passed_over_and_the_log_says_so(replica, client, settings, caplog):
    # Every replica is "behind" a limit below zero, even one that has replayed everything.
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = -1

    with Statements(replica) as statements:
        body = client.get("/api/v1/stats/release/", {"as_of": "2023-12-31"}).json()

    assert statements.registry_on_replica == []
    assert statements.registry_on_primary
    assert huong_hoa(body)["released_ha"] == pytest.approx(ha(APPROVED), abs=0.01)
    assert re.search(r"replica_1: \d+\.\d s behind its primary, more than -1 s", caplog.text)


def test_a_replica_that_goes_down_is_passed_over_for_the_primary(replica, client, cluster, caplog):
    # Last in the module: it stops the standby the others read from.
    with Statements(replica) as statements:
        client.get("/api/v1/stats/release/", {"as_of": "2023-12-31"})
    assert statements.registry_on_replica

    standby.stop(cluster)
    # What Django does at the start of every request (request_started), which the test client
    # leaves out: the kept connection is checked again before its first use.
    connections[replica].close_if_unusable_or_obsolete()
    with Statements(replica) as statements:
        body = client.get("/api/v1/stats/release/", {"as_of": "2023-12-31"}).json()

    assert statements.registry_on_primary
    assert huong_hoa(body)["released_ha"] == pytest.approx(ha(APPROVED), abs=0.01)
    assert "replica_1: unreachable" in caplog.text
