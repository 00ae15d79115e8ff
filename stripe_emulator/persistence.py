"""Durable state (opt-in): `python -m stripe_emulator --state FILE` keeps every account in SQLite.

In-memory stays the default; with a state file the emulator still serves from memory and also
writes each request's changes through to the file: at the end of the operate step, under the
account's lock and before the response is sent (app.py calls `Store.commit`). What a client was
answered is in the file, so after `kill -9` and a restart on the same file every acknowledged
object is back. On start the file is read whole (`restore`); an account evicted from memory is
read again on its next request (`load`).

Kept, per account, one row each in `rows` (account, kind, key, value), in the order the
account holds them (rowid order, which lists follow): every Collection (customers, payment
methods, setup intents and attempts, payment intents, charges, events, webhook endpoints with
their signing secrets), the index memberships (a customer's payment methods, a SetupIntent's
attempts), the Link accounts (by email: wallet, addresses, sessions and persistent tokens; the
token table is rebuilt from them), deleted-customer ids, idempotency keys with their stored
response (a client retrying across a restart gets the replay), and each id stream's position
(`ids`: new ids never collide with restored ones). Table `accounts` holds each account's clock.
An event keeps the endpoints it was sent to and those that took it (`pending_webhooks` is
written again after each successful delivery), so on start the deliveries the last process had
not completed are queued again with the retries they had left (webhooks.Deliverer.resume). Not
kept: the request and delivery logs, and request-id numbering (restarts may repeat a request id).

Values are pickles (protocol 5) of the emulator's own objects, so private state (a client
secret, a card's test profile, an intent's 3-D Secure return URL) comes back exactly. A state
file is data, not code: it is read by an unpickler that builds only this package's classes and
plain containers, and created readable by its owner only (it holds keys and secrets).

Durability: WAL journal with synchronous=NORMAL (default). A commit has written the WAL file
(into the OS's page cache) before the response goes out, and "Transactions are durable across
application crashes regardless of the synchronous setting or journal mode"
(https://www.sqlite.org/pragma.html#pragma_synchronous): `kill -9` of the process loses nothing.
Only an OS crash or power loss can drop the last commits (the file stays consistent);
`--state-sync full` (synchronous=FULL) fsyncs every commit against that too, at a cost
scripts/bench_state.py measures. locking_mode=EXCLUSIVE: one emulator per state file (a second
one is refused at start); the lock dies with its process.
"""

from __future__ import annotations

import gc
import io
import os
import pickle
import sqlite3
import threading
from typing import Any

from . import params, testdata
from .clock import Clock
from .store import Account
from .tracking import Changes, containers, track

FORMAT = "1"  # the layout below; a file of another format is refused
SYNC_MODES = ("normal", "full")
# An id stream's position (random.Random.getstate: 624 words and an index) is written in two
# rows: the words (3.7 KB) only when a draw changed them (every 624th word), the index (a few
# bytes) after every request that drew from the stream.
IDS, IDS_INDEX = "ids", "ids_index"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (name TEXT PRIMARY KEY, state BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
    account TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,
    UNIQUE (account, kind, key)
);
CREATE INDEX IF NOT EXISTS rows_by_kind ON rows (account, kind);
"""
_UPSERT = (
    "INSERT INTO rows (account, kind, key, value) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (account, kind, key) DO UPDATE SET value = excluded.value"
)
_PRUNE = (
    "DELETE FROM rows WHERE rowid IN (SELECT rowid FROM rows WHERE account = ? AND kind = ? "
    "ORDER BY rowid LIMIT ?)"
)
# Plain containers a pickle may build besides this package's classes.
_PLAIN = {("collections", "OrderedDict"), ("collections", "deque"), ("builtins", "set")}


class StateFileError(Exception):
    """The state file cannot be used (corrupt, unwritable, in use, another format)."""


# --- encoding ----------------------------------------------------------------------------


class TableCard:
    """A pickle's reference to a test card of the table: built back as that same entry."""

    def __new__(cls, number: str) -> testdata.Card:  # type: ignore[misc]
        card = testdata.CARDS.get(number)
        if card is None:
            raise pickle.UnpicklingError(f"unknown test card {number!r}")
        return card


def _reduce_card(card: testdata.Card) -> Any:
    # Every object paying with a test card shares the table's entry: written by number (a
    # Luhn-valid card outside the table is written whole).
    if testdata.CARDS.get(card.number) is card:
        return TableCard, (card.number,)
    return card.__reduce_ex__(5)


class Unset:
    """A pickle's reference to `params.UNSET` (a bare object: identity is what it means)."""

    def __new__(cls) -> Any:  # type: ignore[misc]
        return params.UNSET


def _reduce_sentinel(value: object) -> Any:
    if value is not params.UNSET:
        raise pickle.PicklingError("a bare object() is not state")
    return Unset, ()


class _Pickler(pickle.Pickler):
    # Looked up by exact type: only test cards and bare object() sentinels come here.
    dispatch_table = {testdata.Card: _reduce_card, object: _reduce_sentinel}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _PLAIN and module.partition(".")[0] != __package__:
            raise pickle.UnpicklingError(f"{module}.{name} is not a state object")
        found = super().find_class(module, name)
        if not isinstance(found, type):
            raise pickle.UnpicklingError(f"{module}.{name} is not a class")
        return found


def dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=5).dump(value)
    return buffer.getvalue()


def loads(blob: bytes) -> Any:
    return _Unpickler(io.BytesIO(blob)).load()


def _state(account: Account) -> bytes:
    return dumps({"clock": account.clock, "event_seq": account.event_seq, "seed": account.seed})


_FRESH_STATE = dumps({"clock": Clock(), "event_seq": 0, "seed": None})  # an account nothing changed


class _Tracked:
    """One account's changes since its last write, and what its `accounts` row holds."""

    def __init__(self, account: Account, state: bytes = _FRESH_STATE, stored: bool = False):
        self.account = account
        self.changes = Changes()
        self.state = state
        self.stored = stored  # whether the account has its `accounts` row
        self.words: dict[str, int] = {}  # id stream -> hash of the words its row holds


# --- the file ----------------------------------------------------------------------------


class Persistence:
    """An open state file: restores accounts, writes their changes."""

    def __init__(self, path: str, sync: str = "normal") -> None:
        if sync not in SYNC_MODES:
            raise ValueError(f"sync must be one of {SYNC_MODES}")
        self.path = path
        self._lock = threading.Lock()
        self._tracked: dict[str, _Tracked] = {}
        try:
            if not os.path.exists(path):  # owner-only: it holds keys and secrets
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA locking_mode = EXCLUSIVE")
            if self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
                raise StateFileError(f"{path}: SQLite cannot use a WAL journal there")
            self._db.execute(f"PRAGMA synchronous = {sync.upper()}")
            self._db.execute("BEGIN IMMEDIATE")  # takes the exclusive lock now
            tables = {n for (n,) in self._db.execute("SELECT name FROM sqlite_master")}
            found = None
            if "meta" in tables:
                found = self._db.execute("SELECT value FROM meta WHERE key = 'format'")
                found = found.fetchone()
            if tables and found is None:  # never write into someone else's database
                raise StateFileError(f"{path}: not an emulator state file (another database)")
            for statement in _SCHEMA.split(";")[:-1]:
                self._db.execute(statement)
            if found is None:
                self._db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
            elif found[0] != FORMAT:
                raise StateFileError(
                    f"{path}: state format {found[0]!r}, this emulator reads {FORMAT!r}"
                )
            self._db.execute("COMMIT")
        except (sqlite3.Error, OSError, StateFileError) as exc:
            if hasattr(self, "_db"):
                self._db.close()  # and its lock
            if isinstance(exc, StateFileError):
                raise
            raise StateFileError(f"{path}: {_reason(exc)}") from None

    # -- accounts in, accounts out --

    def track(self, account: Account) -> None:
        """Note every change of a new, empty `account` from now on."""
        tracked = _Tracked(account)
        track(account, tracked.changes)
        self._tracked[account.name] = tracked

    def restore(self, new_account) -> dict[str, Account]:
        """Every stored account, built with `new_account(name)` (tracked) and filled."""
        try:
            with self._lock:
                names = [n for (n,) in self._db.execute("SELECT name FROM accounts")]
                names += self._db.execute("SELECT DISTINCT account FROM rows").fetchall()
        except sqlite3.Error as exc:
            raise StateFileError(f"{self.path}: {_reason(exc)}") from None
        names = sorted({n if isinstance(n, str) else n[0] for n in names})
        # Reading builds every stored object at once: a cyclic-GC pass at each allocation
        # threshold would rescan all the ones built before (restore twice as slow).
        collecting = gc.isenabled()
        gc.disable()
        try:
            return {name: self._fill(new_account(name)) for name in names}
        finally:
            if collecting:
                gc.enable()

    def load(self, account: Account) -> Account:
        """`account` (new and tracked) with whatever the file holds for its name."""
        return self._fill(account)

    def _fill(self, account: Account) -> Account:
        tracked = self._tracked[account.name]
        name = account.name
        try:
            with self._lock:
                state = self._db.execute("SELECT state FROM accounts WHERE name = ?", (name,))
                state = state.fetchone()
                rows = self._db.execute(
                    "SELECT kind, key, value FROM rows WHERE account = ? ORDER BY rowid", (name,)
                ).fetchall()
            tracked.changes.recording = False
            if state is not None:
                restored = loads(state[0])
                account.clock, account.event_seq = restored["clock"], restored["event_seq"]
                if restored.get("seed") is not None:  # a reset's seed: its streams, not the name's
                    account.reseed(restored["seed"])
                tracked.state, tracked.stored = state[0], True
            into, streams, indexes = containers(account), {}, {}
            for kind, key, value in rows:
                if kind == IDS:
                    streams[key] = loads(value)
                elif kind == IDS_INDEX:
                    indexes[key] = loads(value)
                elif kind in into:  # memberships (index, deleted ids) have an empty value
                    into[kind].restore(key, loads(value) if value else None)
                else:
                    raise ValueError(f"unknown kind of row {kind!r}")
            for stream, (version, internal, _) in streams.items():
                index, gauss = indexes[stream]
                account.ids.restore_position(stream, (version, (*internal[:-1], index), gauss))
                tracked.words[stream] = hash(internal[:-1])
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                KeyError, TypeError, ValueError) as exc:  # fmt: skip
            raise StateFileError(
                f"{self.path}: account {name!r} cannot be restored ({_reason(exc)})"
            ) from None
        finally:
            tracked.changes.recording = True
        for link_account in account.link_accounts.values():
            for token in link_account.tokens:
                account.link_tokens[token] = link_account.email
        tracked.changes.clear()
        account.ids.drawn = set()
        return account

    # -- writing --

    def commit(self, account: Account, reads: bool = True) -> None:
        """Write what `account` changed since its last commit, in one transaction.
        `reads=False` (a GET): objects only fetched are not rewritten."""
        tracked = self._tracked.get(account.name)
        if tracked is None or tracked.account is not account:
            return  # an account that was reset meanwhile: its successor is tracked
        changes, drawn = tracked.changes, account.ids.drawn
        state = _state(account)
        if not (changes.ops or drawn or changes.pruned or state != tracked.state):
            return
        name = account.name
        ops, pruned = changes.take()
        # One statement per kind of write (executemany), in this order: an insert lands at the
        # end of the rowid order (INSERT OR REPLACE), as the container put it at the end.
        deletes, inserts, ensures, upserts, words = [], [], [], [], {}
        for (kind, key), (op, value) in ops.items():
            if op == "delete":
                deletes.append((name, kind, key))
            elif op == "insert":
                inserts.append((name, kind, key, dumps(value)))
            elif op == "ensure":
                ensures.append((name, kind, key, b""))
            elif op == "update" or reads:  # fetched: rewritten unless the request only read
                upserts.append((name, kind, key, dumps(value)))
        for stream in drawn or ():
            position = account.ids.position(stream)
            version, internal, gauss = position
            words[stream] = hash(internal[:-1])
            if words[stream] != tracked.words.get(stream):
                upserts.append((name, IDS, stream, dumps(position)))
            upserts.append((name, IDS_INDEX, stream, dumps((internal[-1], gauss))))
        new_state = state != tracked.state or not tracked.stored
        if deletes or inserts or ensures or upserts or pruned or state != tracked.state:
            try:
                self._write(name, state if new_state else None, deletes, inserts, ensures,
                            upserts, pruned)  # fmt: skip
            except BaseException:
                changes.give_back(ops, pruned)
                raise
            tracked.state, tracked.stored = state, True
        if drawn:
            drawn.clear()
        tracked.words.update(words)

    def _write(self, name, state, deletes, inserts, ensures, upserts, pruned) -> None:
        db = self._db
        with self._lock:
            try:
                db.execute("BEGIN")
                if state is not None:
                    db.execute("INSERT OR REPLACE INTO accounts VALUES (?, ?)", (name, state))
                if deletes:
                    db.executemany(
                        "DELETE FROM rows WHERE account = ? AND kind = ? AND key = ?", deletes
                    )
                if inserts:
                    db.executemany("INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?)", inserts)
                if ensures:
                    db.executemany("INSERT OR IGNORE INTO rows VALUES (?, ?, ?, ?)", ensures)
                if upserts:
                    db.executemany(_UPSERT, upserts)
                for kind, count in pruned.items():
                    db.execute(_PRUNE, (name, kind, count))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")  # the changes stay noted: the next commit retries
                raise

    def untrack(self, name: str) -> None:
        """Stop following an account dropped from memory (its rows stay: it is read back with
        `load` on its next request)."""
        with self._lock:
            self._tracked.pop(name, None)

    def forget(self, name: str) -> None:
        """Delete an account's rows (a reset); its successor is tracked by `track`."""
        with self._lock:
            self._tracked.pop(name, None)
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM rows WHERE account = ?", (name,))
            self._db.execute("DELETE FROM accounts WHERE name = ?", (name,))
            self._db.execute("COMMIT")

    def forget_all(self) -> None:
        with self._lock:
            self._tracked.clear()
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM rows")
            self._db.execute("DELETE FROM accounts")
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _reason(exc: BaseException) -> str:
    """A short reason for a refusal, without a traceback."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, sqlite3.OperationalError) and "locked" in text:
        return "in use by another emulator (database is locked)"
    if isinstance(exc, sqlite3.DatabaseError) and "not a database" in text:
        return "not an emulator state file (file is not a database)"
    return text
