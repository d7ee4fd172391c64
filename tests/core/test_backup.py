"""``manage.py backup`` and ``restore``: a filled database dumped and restored into a
fresh one exports the identical catalogue; a broken dump restores nothing.

Runs on whichever server the suite uses (the embedded PostgreSQL 18, or DATABASE_URL's):
the commands pick a pg_dump/pg_restore at least as new as that server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from apps.core import backup
from tests.consultations import factories as consultations
from tests.stories import factories as stories

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _url(dbname: str) -> str:
    db = connection.settings_dict
    host = quote(db["HOST"] or "127.0.0.1", safe="")  # a socket directory, percent-encoded
    return f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{dbname}"


def _admin() -> psycopg.Connection:
    return backup.Target.from_django(connection.settings_dict).connect("postgres")


@pytest.fixture
def fresh_name() -> Iterator[str]:
    """The name of a database that does not exist yet; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    yield name
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _export(dbname: str, target: Path) -> bytes:
    """``export_catalogue`` run as an administrator would, against ``dbname``."""
    env = {**os.environ, "DATABASE_URL": _url(dbname)}
    done = subprocess.run(
        [sys.executable, "manage.py", "export_catalogue", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return target.read_bytes()


def _tables(dbname: str) -> list[str]:
    target = backup.Target.from_django(connection.settings_dict).with_name(dbname)
    with target.connect() as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
    return [row[0] for row in rows]


def _fill(advisor, colleague) -> None:
    call_command("import_catalogue", str(ROOT / "demo" / "catalogue.json"), verbosity=0)
    for n in range(3):
        thread = consultations.thread(author=advisor, title=f"Toimeentulotuki {n}")
        consultations.answer(thread=thread, author=colleague)
    stories.story(author=advisor, state="published")


def test_backup_restored_into_a_fresh_database_exports_the_identical_catalogue(
    reference_data_tx, advisor, colleague, tmp_path, fresh_name
):
    _fill(advisor, colleague)
    dump = tmp_path / "neuvokas.dump"
    call_command("backup", str(dump), stdout=StringIO())
    assert dump.stat().st_size > 0
    assert dump.stat().st_mode & 0o077 == 0  # personal data: the owner's only

    call_command("restore", str(dump), into=_url(fresh_name), create=True, stdout=StringIO())

    source = _export(connection.settings_dict["NAME"], tmp_path / "source.json")
    restored = _export(fresh_name, tmp_path / "restored.json")
    assert b"Toimeentulotuki" not in source  # the catalogue only; threads came along below
    assert len(source) > 10_000
    assert restored == source
    target = backup.Target.from_django(connection.settings_dict).with_name(fresh_name)
    with target.connect() as conn:
        threads = conn.execute("SELECT count(*) FROM consultations_thread").fetchone()
        published = conn.execute("SELECT count(*) FROM stories_story").fetchone()
    assert (threads, published) == ((3,), (1,))


def test_restore_refuses_a_database_that_is_not_empty(
    reference_data_tx, advisor, colleague, tmp_path, fresh_name
):
    dump = tmp_path / "neuvokas.dump"
    call_command("backup", str(dump), stdout=StringIO())
    call_command("restore", str(dump), into=fresh_name, create=True, stdout=StringIO())
    before = _tables(fresh_name)

    with pytest.raises(CommandError, match="ei ole tyhjä"):
        call_command("restore", str(dump), into=fresh_name)
    assert _tables(fresh_name) == before

    # --force replaces the contents, still in one transaction.
    call_command("restore", str(dump), into=fresh_name, force=True, stdout=StringIO())
    assert _tables(fresh_name) == before


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_restore_of_a_broken_dump_fails_clearly_and_leaves_the_target_empty(
    reference_data_tx, advisor, colleague, tmp_path, fresh_name, damage
):
    _fill(advisor, colleague)
    dump = tmp_path / "neuvokas.dump"
    call_command("backup", str(dump), stdout=StringIO())
    data = dump.read_bytes()
    broken = tmp_path / "broken.dump"
    if damage == "truncated":
        broken.write_bytes(data[: len(data) * 2 // 3])
    else:
        broken.write_bytes(b"not a dump at all\n" * 100)

    with pytest.raises(CommandError, match="Palautus epäonnistui") as failed:
        call_command("restore", str(broken), into=fresh_name, create=True)
    assert "pg_restore" in str(failed.value)
    assert _tables(fresh_name) == []


def test_backup_says_which_pg_dump_is_missing_for_a_newer_server(tmp_path):
    found = [(15, Path("/usr/lib/postgresql/15/bin/pg_dump"))]
    with pytest.raises(backup.BackupError, match="PostgreSQL 18") as missing:
        backup.suitable("pg_dump", 18, found)
    assert "/usr/lib/postgresql/15/bin/pg_dump (15)" in str(missing.value)
    assert backup.suitable("pg_dump", 15, [(18, Path("/a")), (15, Path("/b"))]) == [
        Path("/b"),
        Path("/a"),
    ]


def test_the_embedded_wheel_ships_the_client_programs():
    majors = {major for major, _ in backup.clients("pg_restore")}
    assert 18 in majors, majors
    assert any(major == 18 for major, _ in backup.clients("pg_dump"))
