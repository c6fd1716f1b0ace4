"""Alembic migrations: from empty to head, idempotent, reversible, and matching the ORM."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.storage.engine import make_engine
from bot.storage.migrate import MIGRATIONS_DIR, alembic_config, downgrade, upgrade
from bot.storage.orm import metadata


def _current_revision(url: str) -> str | None:
    engine = make_engine(url)
    with engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
    engine.dispose()
    return revision


def _head() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_upgrade_from_empty_creates_the_schema(empty_database_url: str) -> None:
    upgrade(empty_database_url)

    assert {"cases", "deliveries", "alembic_version"} <= _tables(empty_database_url)
    assert _current_revision(empty_database_url) == _head()
    engine = make_engine(empty_database_url)
    inspector = inspect(engine)
    case_columns = {c["name"] for c in inspector.get_columns("cases")}
    delivery_columns = {c["name"] for c in inspector.get_columns("deliveries")}
    unique = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("deliveries")}
    foreign = inspector.get_foreign_keys("deliveries")
    engine.dispose()
    assert {
        "reference",
        "conversation_id",
        "case_type",
        "urgency",
        "route",
        "created_at",
        "status",
        "payload",
        "safety_concern",
    } <= case_columns
    assert {
        "case_reference",
        "state",
        "attempts",
        "next_attempt_at",
        "locked_until",
        "last_status_code",
        "last_error",
        "created_at",
        "updated_at",
        "delivered_at",
        "urgency_rank",
        "destination_id",
        "channel",
    } <= delivery_columns
    assert ("case_reference", "destination_id", "channel") in unique
    assert "destination_id" in case_columns
    assert foreign[0]["referred_table"] == "cases" and foreign[0]["referred_columns"] == ["reference"]


def test_upgrade_is_idempotent(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    upgrade(empty_database_url)
    assert _current_revision(empty_database_url) == _head()


def test_downgrade_to_base_and_back(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    downgrade(empty_database_url, "base")
    assert not {"cases", "deliveries"} & _tables(empty_database_url)
    upgrade(empty_database_url)
    assert {"cases", "deliveries"} <= _tables(empty_database_url)


def test_orm_tables_match_the_migrations(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_creates_the_sqlite_folder(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "var" / "cases.sqlite3"
    upgrade(f"sqlite:///{target}")
    assert target.exists()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        pragmas = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        }
    engine.dispose()
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["foreign_keys"] == 1
    assert pragmas["busy_timeout"] >= 1000


def test_migrations_folder_is_where_alembic_ini_points() -> None:
    ini = (Path(__file__).resolve().parents[2] / "alembic.ini").read_text()
    assert "script_location = bot/storage/migrations" in ini
    assert MIGRATIONS_DIR.name == "migrations" and (MIGRATIONS_DIR / "env.py").exists()
