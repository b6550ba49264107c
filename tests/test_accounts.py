"""Officer accounts: the first administrator, sign-in (slowed and recorded after failures),
roles refused at the service layer, passwords changed and reset, the last administrator kept."""

from __future__ import annotations

import datetime as dt

import pytest

from migdesk.domain.errors import ValidationError
from migdesk.domain.roles import Permission
from migdesk.services import Migdesk
from migdesk.services.accounts import NotSignedIn, SignInFailed
from migdesk.services.app import PermissionDenied
from tests.helpers import PASSWORD, admin, as_role, person


def events(app: Migdesk, action: str) -> list:
    """The audit entries of one action, read straight from the table."""
    from sqlalchemy import select

    from migdesk.store.audit import AuditEntry

    with app.reading() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        s.expunge_all()
        return rows


def test_nothing_is_read_or_written_before_sign_in(db_path) -> None:
    app = Migdesk.open(str(db_path))
    with pytest.raises(NotSignedIn) as exc:
        app.candidates.register(person())
    assert "შედით" in exc.value.message("ka") and "Sign in" in exc.value.message("en")
    with pytest.raises(NotSignedIn):
        app.candidates.search("")
    app.close()


def test_first_administrator_then_only_administrators_add_accounts(app) -> None:
    from migdesk.domain.errors import ConflictError

    with pytest.raises(ConflictError):  # the first administrator exists: no second "first"
        app.accounts.create_first_admin("other", "სხვა", "another-password")
    view = app.accounts.add("nino", "ნინო ბერიძე", "officer", "nino-password")
    assert (view.login, view.role, view.full_name) == ("nino", "officer", "ნინო ბერიძე")
    assert [a.login for a in app.accounts.list()] == ["nino", "tester"]
    with pytest.raises(ValidationError) as exc:
        app.accounts.add("nino", "ნინო", "officer", "short")
    assert "8" in exc.value.message("en")
    with pytest.raises(ValidationError):
        app.accounts.add("ნინო", "ნინო", "officer", "long-enough-1")  # a login is Latin
    app.sign_out()
    app.sign_in("NINO ", "nino-password")  # logins are case- and space-insensitive
    with pytest.raises(PermissionDenied) as exc:
        app.accounts.add("giorgi", "გიორგი", "officer", "giorgi-password")
    assert "ადმინისტრატორი" in exc.value.message("ka")
    assert "administrator" in exc.value.message("en")


def test_an_officer_is_refused_what_is_a_supervisors_and_the_refusal_is_recorded(app) -> None:
    cid = app.candidates.register(person()).id
    as_role(app, "officer")
    app.candidates.change_status(cid, "screened", "documents checked")  # an officer may
    before = app.candidates.get(cid, purpose=None).status
    for attempt in (lambda: app.candidates.change_status(cid, "selected", "good fit"),
                    lambda: app.candidates.delete(cid, "duplicate"),
                    lambda: app.sync.import_package("nothing.mdp"),
                    lambda: app.audit.entries(),
                    lambda: app.set_setting("institution_name", "x")):
        with pytest.raises(PermissionDenied) as exc:
            attempt()
        assert exc.value.exit_code == 7
        assert "officer" in exc.value.message("en") and "ოფიცერი" in exc.value.message("ka")
    assert app.candidates.get(cid, purpose=None).status == before == "screened"
    denied = events(app, "denied")
    assert len(denied) == 5 and {d.officer for d in denied} == {"officer1"}


def test_a_supervisor_selects_and_deletes_but_does_not_manage_accounts(app) -> None:
    cid = app.candidates.register(person()).id
    as_role(app, "supervisor")
    app.candidates.change_status(cid, "screened", "ok")
    app.candidates.change_status(cid, "shortlisted", "ok")
    app.candidates.change_status(cid, "selected", "best fit")
    history = app.audit.entries(candidate=cid)
    assert history[0].action == "update" and history[0].officer == "supervisor1"
    assert '"status":["shortlisted","selected"]' in history[0].detail
    assert history[0].reason == "best fit"
    with pytest.raises(PermissionDenied):
        app.accounts.list()


def test_failed_sign_ins_are_recorded_and_slow_down(app, monkeypatch) -> None:
    from migdesk.services import accounts

    app.accounts.add("nino", "ნინო ბერიძე", "officer", "nino-password")
    app.sign_out()
    for _ in range(3):
        with pytest.raises(SignInFailed) as exc:
            app.sign_in("nino", "wrong-password")
        assert "არასწორია" in exc.value.message("ka")
    with pytest.raises(SignInFailed) as exc:  # the fourth attempt must wait
        app.sign_in("nino", "nino-password")
    assert "seconds" in exc.value.message("en") and "წამში" in exc.value.message("ka")
    later = accounts.utcnow() + dt.timedelta(seconds=5)
    monkeypatch.setattr(accounts, "utcnow", lambda: later)
    assert app.sign_in("nino", "nino-password").login == "nino"
    failed = events(app, "sign_in_failed")
    assert len(failed) == 3 and all(e.officer == "nino" for e in failed)
    assert len(events(app, "sign_in_refused")) == 1
    assert "wrong-password" not in repr([e.detail for e in failed])  # never the password
    with pytest.raises(SignInFailed):  # an unknown login reads the same as a wrong password
        app.sign_in("nobody", "whatever-it-is")


def test_passwords_changed_by_their_owner_and_reset_by_an_administrator(app) -> None:
    app.accounts.add("nino", "ნინო ბერიძე", "officer", "nino-password")
    app.sign_out()
    app.sign_in("nino", "nino-password")
    with pytest.raises(ValidationError) as exc:
        app.accounts.change_password("not-my-password", "new-password-1")
    assert exc.value.errors[0].field == "old_password"
    app.accounts.change_password("nino-password", "new-password-1")
    app.sign_out()
    with pytest.raises(SignInFailed):
        app.sign_in("nino", "nino-password")
    app.sign_in("tester", PASSWORD)
    app.accounts.reset_password("nino", "reset-password-2")
    app.sign_out()
    assert app.sign_in("nino", "reset-password-2").role == "officer"
    stored = events(app, "password_reset")
    assert len(stored) == 1 and "reset-password-2" not in (stored[0].detail or "")


def test_disabled_accounts_cannot_sign_in_and_the_last_administrator_stays(app) -> None:
    app.accounts.add("nino", "ნინო ბერიძე", "officer", "nino-password")
    with pytest.raises(ValidationError):
        app.accounts.set_role("tester", "officer")  # the only administrator
    with pytest.raises(ValidationError):
        app.accounts.disable("tester", "leaving")  # your own account
    with pytest.raises(ValidationError):
        app.accounts.disable("nino", "")  # a reason is required
    app.accounts.disable("nino", "left the ministry")
    app.sign_out()
    with pytest.raises(SignInFailed):
        app.sign_in("nino", "nino-password")
    admin(app)
    app.accounts.disable("nino", "", disabled=False)
    app.sign_out()
    assert app.sign_in("nino", "nino-password").login == "nino"


def test_printed_dossiers_and_the_journal_name_the_signed_in_officer(app) -> None:
    from migdesk.services.dossiers import DossierService

    cid = app.candidates.register(person()).id

    inp = DossierService(app).prepare(cid)
    assert inp.officer == "ნინო ტესტაძე"  # the full name on paper, not the login
    change = app.audit.changes(entity="candidate", entity_id=cid)[0]
    assert change.officer == "tester"


def test_a_refusal_inside_a_unit_of_work_does_not_wait_on_itself(app) -> None:
    """A role check that fails while this thread already writes (a service calling another)
    is refused at once, not after a minute's wait for the write lock it holds itself."""
    import time

    as_role(app, "officer")
    started = time.monotonic()
    with pytest.raises(PermissionDenied), app.unit_of_work("outer"):
        app.require(Permission.REMOVE)
    assert time.monotonic() - started < 1.0
    app.candidates.register(person())  # the writer was released


def test_a_cancelled_demo_load_leaves_no_demo_account_on_a_real_desk(app) -> None:
    from migdesk.services.demo import DemoCancelled, load_demo

    with pytest.raises(DemoCancelled):
        load_demo(app, candidates=6000, progress=lambda done, total: False)
    assert [a.login for a in app.accounts.list()] == ["tester"] and not app.is_demo
    app.sign_out()
    with pytest.raises(SignInFailed):
        app.sign_in("demo", "demo")


def test_unlocking_counts_failures_and_slows_down_as_sign_in_does(app) -> None:
    for _ in range(3):
        assert not app.accounts.check_password("not-it")
    with pytest.raises(SignInFailed):  # the fourth try must wait, even with the password
        app.accounts.check_password(PASSWORD)


def test_an_officer_may_not_read_the_journal_or_the_conflicts(app) -> None:
    as_role(app, "officer")
    for attempt in (app.audit.changes, app.audit.accesses, app.sync.conflicts):
        with pytest.raises(PermissionDenied):
            attempt()


def test_a_demoted_or_disabled_officer_is_held_to_it_at_once(app, db_path) -> None:
    """Another process (an administrator's window) changes the account: this one obeys."""
    app.accounts.add("nino", "ნინო ბერიძე", "supervisor", "nino-password")
    other = Migdesk.open(str(db_path))
    other.sign_in("nino", "nino-password")
    cid = other.candidates.register(person()).id
    app.accounts.set_role("nino", "officer")
    with pytest.raises(PermissionDenied):
        other.candidates.delete(cid, "duplicate")
    app.accounts.disable("nino", "left the ministry")
    with pytest.raises(NotSignedIn):
        other.candidates.search("")
    other.close()
