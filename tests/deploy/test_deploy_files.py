"""deploy/: the environment file names every setting, nginx lets the largest upload through to the
app, the systemd units pass systemd's own check."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = [
    "landrelease.service",
    "landrelease-worker.service",
    "landrelease-backup.service",
    "landrelease-backup.timer",
]


def readme_settings() -> set[str]:
    """The variables of the README's "Configuration" table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", table, flags=re.MULTILINE))


def test_the_environment_file_names_every_setting_of_the_readme():
    template = (DEPLOY / "landrelease.env").read_text(encoding="utf-8")
    named = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", template, flags=re.MULTILINE))

    assert len(readme_settings()) > 20
    assert readme_settings() - named == set()
    assert named - readme_settings() == set()


def test_the_environment_file_is_for_production():
    template = (DEPLOY / "landrelease.env").read_text(encoding="utf-8")
    values = dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", template, flags=re.MULTILINE))

    assert values["DEBUG"] == "0"
    assert values["SECURE_PROXY_SSL_HEADER"] == "X-Forwarded-Proto"
    # sh reads the file too (deploy/landrelease-manage): nothing it would expand or split.
    assert [name for name, value in values.items() if re.search(r"[\s$`\"']", value)] == []


def test_nginx_lets_the_largest_upload_through_to_the_app():
    """A file just under UPLOAD_MAX_BYTES, with the form's other fields, must reach the app (which
    refuses a larger one with its own message), not stop at nginx with a bare 413."""
    config = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", config).group(1))

    assert megabytes * 1024 * 1024 > settings.UPLOAD_MAX_BYTES
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in config


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is absent")
def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    # The units name /srv/landrelease (docs/deploy.md); here the code is in this checkout.
    for unit in UNITS:
        text = (DEPLOY / unit).read_text(encoding="utf-8")
        (tmp_path / unit).write_text(text.replace("/srv/landrelease", str(ROOT)))

    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / unit) for unit in UNITS)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == ""


def test_the_manage_wrapper_is_valid_sh():
    result = subprocess.run(
        ["sh", "-n", str(DEPLOY / "landrelease-manage")], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
