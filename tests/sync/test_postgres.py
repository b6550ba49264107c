"""The same exchanges with the central store on a real PostgreSQL server."""

from __future__ import annotations

import pytest

from tests.sync import test_exchange as ex
from tests.sync.net import dump, network, open_desk, register

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_net(tmp_path, pg_url):
    with network(tmp_path, pg_url, name="Central (PostgreSQL)") as (c, a, b):
        yield tmp_path, c, a, b


def test_migrations_run_on_postgresql(pg_url) -> None:
    from migdesk.store import db as store_db

    app = open_desk(pg_url, "Central")
    assert store_db.current_revision(app.db.engine) == store_db.head_revision()
    assert app.db.engine.dialect.name == "postgresql"
    app.close()


def test_random_exchanges_converge_through_postgresql(pg_net) -> None:
    ex.test_random_exchanges_converge(pg_net)


def test_conflict_and_resolution_through_postgresql(pg_net) -> None:
    ex.test_same_field_edited_on_both_sides_is_a_conflict_and_resolving_converges(pg_net)


def test_deletions_through_postgresql(pg_net) -> None:
    ex.test_deletion_propagates_and_edit_against_delete_is_a_conflict(pg_net)


def test_duplicates_through_postgresql(pg_net) -> None:
    ex.test_same_personal_number_on_two_desks_goes_to_the_duplicates_queue(pg_net)


def test_replay_and_bad_package_leave_postgresql_unchanged(pg_net) -> None:
    from migdesk.sync.errors import PackageRefused

    tmp, c, a, b = pg_net
    register(a, "01001012345")
    p = tmp / "a.mdp"
    a.sync.export(p)
    c.sync.import_package(p)
    before = [t for t in dump(c) if t[0] != "sync_exchange"]
    c.sync.import_package(p)
    assert [t for t in dump(c) if t[0] != "sync_exchange"] == before
    register(a, "01001012346")
    q = tmp / "b.mdp"
    a.sync.export(q)
    q.write_bytes(q.read_bytes()[:-40])
    before = dump(c)
    with pytest.raises(PackageRefused):
        c.sync.import_package(q)
    assert dump(c) == before


@pytest.fixture
def pg_scoped(tmp_path, pg_url):
    with network(tmp_path, pg_url, "own", "Central (PostgreSQL)") as (c, a, b):
        yield tmp_path, c, a, b


def test_scoped_desks_through_postgresql(pg_scoped) -> None:
    from tests.sync import test_scope

    test_scope.test_a_desk_gets_reference_data_and_its_own_candidates_only(pg_scoped)


def test_widened_scope_through_postgresql(pg_scoped) -> None:
    from tests.sync import test_scope

    test_scope.test_widening_the_scope_sends_what_was_held_back_and_desks_converge(pg_scoped)
