"""The local filesystem broker (no CELERY_BROKER_URL) keeps every file it writes under
var/, never in the working directory: kombu's defaults are ./data_in, ./data_out,
./processed and ./control, relative to wherever a worker or ``manage.py`` was started."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")

PRINT_BROKER = """
import json
from django.conf import settings
print(json.dumps({"url": settings.CELERY_BROKER_URL, "var_dir": str(settings.VAR_DIR),
                  "options": getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})}))
"""


def _broker_settings(module: str) -> dict:
    """The broker settings of a settings module, read in a process of its own (a
    settings module reads and sets environment variables when it is imported)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.setdefault("DJANGO_SECRET_KEY", "broker-test-not-secret")  # base.py requires one
    env["DJANGO_SETTINGS_MODULE"] = module
    done = subprocess.run(
        [sys.executable, "-c", PRINT_BROKER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(
    scope="module",
    params=["intranet.settings.base", "intranet.settings.dev", "intranet.settings.test"],
)
def broker(request) -> dict:
    return _broker_settings(request.param)


def test_local_broker_puts_every_folder_under_var(broker):
    var_dir = Path(broker["var_dir"]).resolve()
    assert broker["url"] == "filesystem://"
    options = broker["options"]
    assert set(FOLDERS) <= set(options), set(FOLDERS) - set(options)
    for name in FOLDERS:
        folder = Path(options[name])
        assert folder.is_absolute(), (name, folder)
        assert folder.resolve().is_relative_to(var_dir), (name, folder)


def test_sending_a_task_writes_nothing_in_the_working_directory(broker, tmp_path, monkeypatch):
    """A real send with the configured options (moved from var/ to a var/ of the test's
    own): every file kombu writes lands under that var/, none where the process runs."""
    var_dir, fake_var = Path(broker["var_dir"]).resolve(), tmp_path / "var"
    options = dict(broker["options"])
    for name in FOLDERS:
        options[name] = str(fake_var / Path(options[name]).resolve().relative_to(var_dir))
        Path(options[name]).mkdir(parents=True, exist_ok=True)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    # Celery prefers the CELERY_BROKER_URL variable (CI's Redis pass) to the URL given here.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)

    app = Celery(broker="filesystem://", set_as_current=False)
    app.conf.broker_transport_options = options
    try:
        # A queue of its own: kombu declares (and writes) a binding once per process.
        app.send_task("tests.never_run", queue=f"neuvokas-broker-test-{uuid.uuid4().hex}")
    finally:
        app.close()

    assert list(cwd.iterdir()) == []
    written = {path.parent.name for path in fake_var.rglob("*") if path.is_file()}
    assert {Path(options["data_folder_out"]).name, Path(options["control_folder"]).name} <= written
