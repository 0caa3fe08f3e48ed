import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests import factories

from .shapes import HUONG_HOA_LAT, HUONG_HOA_LON, square

pytestmark = pytest.mark.django_db


def run_stats(*arguments) -> dict:
    out = StringIO()
    call_command("stats", *arguments, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_the_same_json_as_the_api(client):
    factories.hazard(square(HUONG_HOA_LON, HUONG_HOA_LAT))
    factories.release(square(HUONG_HOA_LON, HUONG_HOA_LAT, 0.002), completed_on=date(2023, 3, 1))

    pairs = [
        (
            ("release", "--as-of", "2023-12-31", "--by", "district"),
            ("/api/v1/stats/release/", {"as_of": "2023-12-31", "by": "district"}),
        ),
        (
            ("clearance", "--year", "2023", "--by", "organisation"),
            ("/api/v1/stats/clearance/", {"year": 2023, "by": "organisation"}),
        ),
        (
            ("progress", "--from", "2022", "--to", "2023"),
            ("/api/v1/stats/progress/", {"from": 2022, "to": 2023}),
        ),
    ]
    for arguments, (url, query) in pairs:
        assert run_stats(*arguments) == client.get(url, query).json()


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (("release", "--as-of", "2023-31-12"), "--as-of"),
        (("release", "--as-of", "2023-12-31", "--unit", "999"), "--unit"),
        (
            ("clearance", "--year", "2023", "--by", "district", "--boundary-set", "2025"),
            "--boundary-set",
        ),
        (("progress", "--from", "2020", "--to", "2019"), "--to"),
    ],
)
def test_bad_arguments_raise_a_command_error_naming_the_option(arguments, named):
    with pytest.raises(CommandError, match=named):
        call_command("stats", *arguments)
