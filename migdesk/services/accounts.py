"""Officer accounts: the first administrator, sign-in (slowed and logged after failures),
passwords changed by their owner or reset by an administrator, roles, disabling.

Every method is one unit of work, and every account event goes into the audit chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from migdesk.domain import passwords
from migdesk.domain.errors import ConflictError, MigdeskError, NotFound, ValidationError
from migdesk.domain.roles import Permission, Role
from migdesk.i18n import N_
from migdesk.store import audit
from migdesk.store.accounts import Account
from migdesk.store.types import new_id, utcnow

if TYPE_CHECKING:
    from migdesk.services.app import Migdesk


class SignInFailed(MigdeskError):
    exit_code = 7


class NotSignedIn(MigdeskError):
    exit_code = 7


@dataclass(frozen=True)
class AccountView:
    id: str
    login: str
    full_name: str
    role: str
    disabled: bool = False
    last_sign_in_at: dt.datetime | None = None

    @property
    def role_label(self) -> str:
        from migdesk.i18n import language

        return Role(self.role).label(language())


def _view(a: Account) -> AccountView:
    return AccountView(a.id, a.login, a.full_name, a.role, a.disabled, a.last_sign_in_at)


def _full_name(text: str) -> str:
    from migdesk.services.validation import req_text

    try:
        return req_text(text, 200)
    except ValidationError as exc:
        raise ValidationError([type(e)("full_name", e.msgid, e.params)
                               for e in exc.errors]) from None


class AccountService:
    def __init__(self, app: Migdesk) -> None:
        self.app = app

    # -- who may sign in --------------------------------------------------------------------
    def any(self) -> bool:
        """Whether this desk has any account yet (a desk without one must create its
        administrator first)."""
        with self.app.reading() as s:
            return bool(s.scalar(select(func.count()).select_from(Account)))

    def create_first_admin(self, login: str, full_name: str, password: str) -> AccountView:
        """The desk's first administrator, signed in; refused once any account exists."""
        login = passwords.parse_login(login)
        name = _full_name(full_name)
        passwords.check_new_password(password, login)
        with self.app.unit_of_work("first administrator", anonymous=True) as s:
            if s.scalar(select(func.count()).select_from(Account)):
                raise ConflictError.of(None, N_(
                    "This desk already has accounts; an administrator adds more"))
            acc = self._new(s, login, name, Role.ADMINISTRATOR, password, created_by=login)
            audit.add_event(s, "account_create", "account", acc.id,
                            {"login": login, "role": acc.role}, officer=login)
            view = _view(acc)
        self.app._signed_in(view)
        return view

    def create_demo_accounts(self, s: Any = None) -> None:
        """The accounts of a demo database: `demo` (administrator), `demo-supervisor` and
        `demo-officer`, each with the password `demo` (too short for a real desk: only here),
        and the mark that makes every screen and command say it is a demo. In the session `s`
        when given (the demo data's own unit of work, so that a cancelled or failed load
        leaves neither behind), else in a unit of work of their own."""
        if s is None:
            with self.app.unit_of_work("demo accounts", anonymous=True) as own:
                self._demo_accounts(own)
        else:
            self._demo_accounts(s)

    def _demo_accounts(self, s: Any) -> None:
        from migdesk.services.app import DEMO_KEY
        from migdesk.store.local import Setting

        people = (("demo", "დემო ადმინისტრატორი", Role.ADMINISTRATOR),
                  ("demo-supervisor", "დემო ზედამხედველი", Role.SUPERVISOR),
                  ("demo-officer", "დემო ოფიცერი", Role.OFFICER))
        taken = set(s.scalars(select(Account.login)))
        for login, name, role in people:
            if login not in taken:
                acc = self._new(s, login, name, role, "demo", created_by="demo")
                audit.add_event(s, "account_create", "account", acc.id,
                                {"login": login, "role": role.value}, officer="demo")
        if s.get(Setting, DEMO_KEY) is None:
            s.add(Setting(key=DEMO_KEY, value="1"))
            audit.add_event(s, "setting", "setting", None,
                            {"key": DEMO_KEY, "value": [None, "1"]}, officer="demo")

    def sign_in(self, login: str, password: str) -> AccountView:
        """Check the password; too many failures in a row make the next attempt wait."""
        login = (login or "").strip().lower()[:64]
        now = utcnow()
        failed: MigdeskError | None = None
        with self.app.unit_of_work("sign-in", anonymous=True) as s:
            acc = s.scalars(select(Account).where(Account.login == login)).first()
            wait = passwords.wait_after(acc.failed_count) if acc else 0.0
            if acc is not None and acc.last_failed_at is not None and wait and \
                    (now - acc.last_failed_at).total_seconds() < wait:
                left = int(wait - (now - acc.last_failed_at).total_seconds()) + 1
                audit.add_event(s, "sign_in_refused", "account", acc.id,
                                {"failures": acc.failed_count, "wait": left}, officer=login)
                failed = SignInFailed.of(None, N_(
                    "Too many failed sign-ins: try again in {seconds} seconds"), seconds=left)
            elif acc is None or acc.disabled or not passwords.verify_password(
                    acc.password_hash, password or ""):
                if acc is not None:
                    acc.failed_count += 1
                    acc.last_failed_at = now
                audit.add_event(s, "sign_in_failed", "account", acc.id if acc else None,
                                {"failures": acc.failed_count if acc else None,
                                 "disabled": bool(acc and acc.disabled)}, officer=login or "?")
                failed = SignInFailed.of(None, N_("The login or the password is wrong"))
            else:
                if passwords.needs_rehash(acc.password_hash):
                    acc.password_hash = passwords.hash_password(password)
                acc.failed_count, acc.last_failed_at = 0, None
                acc.last_sign_in_at = now
                audit.add_event(s, "sign_in", "account", acc.id, officer=login)
                view = _view(acc)
        if failed is not None:
            raise failed
        self.app._signed_in(view)
        return view

    # -- administering ------------------------------------------------------------------------
    def add(self, login: str, full_name: str, role: str, password: str) -> AccountView:
        self.app.require(Permission.ACCOUNTS)
        login = passwords.parse_login(login)
        name = _full_name(full_name)
        r = Role.parse(role)
        passwords.check_new_password(password, login)
        with self.app.unit_of_work("account created") as s:
            if s.scalars(select(Account).where(Account.login == login)).first():
                raise ConflictError.of("login", N_("The login “{login}” is taken"), login=login)
            acc = self._new(s, login, name, r, password, created_by=self.app.officer)
            audit.add_event(s, "account_create", "account", acc.id,
                            {"login": login, "role": acc.role})
            return _view(acc)

    def list(self) -> list[AccountView]:
        self.app.require(Permission.ACCOUNTS)
        with self.app.reading() as s:
            return [_view(a) for a in s.scalars(select(Account).order_by(Account.login))]

    def set_role(self, login: str, role: str) -> AccountView:
        self.app.require(Permission.ACCOUNTS)
        r = Role.parse(role)
        with self.app.unit_of_work("role changed") as s:
            acc = self._get(s, login)
            if acc.role == Role.ADMINISTRATOR.value and r is not Role.ADMINISTRATOR:
                self._keep_an_admin(s, acc)
            before, acc.role = acc.role, r.value
            audit.add_event(s, "account_role", "account", acc.id,
                            {"login": acc.login, "role": [before, acc.role]})
            return _view(acc)

    def disable(self, login: str, reason: str, disabled: bool = True) -> AccountView:
        self.app.require(Permission.ACCOUNTS)
        from migdesk.services.validation import req_text

        why = req_text(reason, 1000) if disabled else (reason or None)
        with self.app.unit_of_work(why) as s:
            acc = self._get(s, login)
            if disabled and acc.login == self.app.officer:
                raise ValidationError.of("login", N_("You cannot disable your own account"))
            if disabled and acc.role == Role.ADMINISTRATOR.value:
                self._keep_an_admin(s, acc)
            acc.disabled = disabled
            audit.add_event(s, "account_disable" if disabled else "account_enable", "account",
                            acc.id, {"login": acc.login}, reason=why)
            return _view(acc)

    def reset_password(self, login: str, new_password: str) -> AccountView:
        """An administrator sets another officer's password (told to them in person)."""
        self.app.require(Permission.ACCOUNTS)
        with self.app.unit_of_work("password reset") as s:
            acc = self._get(s, login)
            passwords.check_new_password(new_password, acc.login)
            acc.password_hash = passwords.hash_password(new_password)
            acc.password_changed_at = utcnow()
            acc.failed_count, acc.last_failed_at = 0, None
            audit.add_event(s, "password_reset", "account", acc.id, {"login": acc.login})
            return _view(acc)

    def change_password(self, old_password: str, new_password: str) -> None:
        """The signed-in officer changes their own password."""
        me = self.app.account
        with self.app.unit_of_work("password changed") as s:
            acc = self._get(s, me.login)
            if not passwords.verify_password(acc.password_hash, old_password or ""):
                raise ValidationError.of("old_password", N_("The current password is wrong"))
            passwords.check_new_password(new_password, acc.login)
            acc.password_hash = passwords.hash_password(new_password)
            acc.password_changed_at = utcnow()
            audit.add_event(s, "password_change", "account", acc.id)

    def check_password(self, password: str) -> bool:
        """Whether `password` is the signed-in officer's (unlocking a locked window). Failures
        count and slow down as at sign-in, so a locked desk cannot be guessed open."""
        me = self.app.account
        now = utcnow()
        with self.app.unit_of_work("unlock") as s:
            acc = self._get(s, me.login)
            wait = passwords.wait_after(acc.failed_count)
            if wait and acc.last_failed_at is not None and \
                    (now - acc.last_failed_at).total_seconds() < wait:
                left = int(wait - (now - acc.last_failed_at).total_seconds()) + 1
                audit.add_event(s, "unlock_refused", "account", acc.id,
                                {"failures": acc.failed_count, "wait": left})
                refused = SignInFailed.of(None, N_(
                    "Too many failed sign-ins: try again in {seconds} seconds"), seconds=left)
            else:
                refused = None
                ok = not acc.disabled and passwords.verify_password(acc.password_hash,
                                                                    password or "")
                if ok:
                    acc.failed_count, acc.last_failed_at = 0, None
                else:
                    acc.failed_count += 1
                    acc.last_failed_at = now
                audit.add_event(s, "unlock" if ok else "unlock_failed", "account", acc.id)
        if refused is not None:
            raise refused
        return ok

    # -- internals ----------------------------------------------------------------------------
    @staticmethod
    def _new(s, login: str, name: str, role: Role, password: str,  # type: ignore[no-untyped-def]
             created_by: str) -> Account:
        now = utcnow()
        acc = Account(id=new_id(), login=login, full_name=name, role=role.value,
                      password_hash=passwords.hash_password(password), disabled=False,
                      created_at=now, created_by=created_by, password_changed_at=now,
                      failed_count=0)
        s.add(acc)
        s.flush()
        return acc

    @staticmethod
    def _get(s, login: str) -> Account:  # type: ignore[no-untyped-def]
        acc = s.scalars(select(Account).where(
            Account.login == (login or "").strip().lower())).first()
        if acc is None:
            raise NotFound.of("login", N_("No account “{login}”"), login=login)
        return acc

    @staticmethod
    def _keep_an_admin(s, acc: Account) -> None:  # type: ignore[no-untyped-def]
        others = s.scalar(select(func.count()).select_from(Account).where(
            Account.role == Role.ADMINISTRATOR.value, Account.disabled.is_(False),
            Account.id != acc.id))
        if not others:
            raise ValidationError.of("role", N_(
                "The desk must keep at least one administrator who can sign in"))
