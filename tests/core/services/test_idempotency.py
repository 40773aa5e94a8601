"""core/services/idempotency.py: a command applied once per (user, key): the same key replays
the first outcome as a duplicate, the same key for another command is a conflict, no key applies
every time, a key is 1..64 characters, and of two racing first attempts one applies."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from core.errors import Conflict, ValidationError
from core.models import IdempotencyRecord, User
from core.services import idempotency
from core.services.idempotency import MAX_KEY, check_key, fingerprint_of, idempotent_apply
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Counter:
    """An apply that counts its runs and answers which run it was."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> dict[str, Any]:
        self.runs += 1
        return {"run": self.runs}


def apply_with(
    actor: User, key: str | None, apply: Callable[[], dict[str, Any]], fingerprint: str = "f"
) -> tuple[dict[str, Any], bool]:
    with transaction.atomic():
        return idempotent_apply(actor=actor, key=key, fingerprint=fingerprint, apply=apply)


def test_the_same_key_replays_the_first_outcome_as_a_duplicate() -> None:
    user, apply = UserFactory(), Counter()
    assert apply_with(user, "k-1", apply) == ({"run": 1}, False)
    assert apply_with(user, "k-1", apply) == ({"run": 1}, True)
    assert apply.runs == 1
    record = IdempotencyRecord.objects.get(user=user, key="k-1")
    assert (record.fingerprint, record.outcome) == ("f", {"run": 1})


def test_the_same_key_for_another_command_is_a_conflict() -> None:
    user, apply = UserFactory(), Counter()
    apply_with(user, "k-1", apply, fingerprint="first")
    with pytest.raises(Conflict, match="different command"):
        apply_with(user, "k-1", apply, fingerprint="second")
    assert apply.runs == 1


def test_without_a_key_every_call_applies() -> None:
    user, apply = UserFactory(), Counter()
    assert [apply_with(user, None, apply) for _ in range(3)] == [
        ({"run": 1}, False),
        ({"run": 2}, False),
        ({"run": 3}, False),
    ]
    assert not IdempotencyRecord.objects.exists()


def test_keys_are_per_user() -> None:
    apply = Counter()
    apply_with(UserFactory(), "shared", apply)
    assert apply_with(UserFactory(), "shared", apply) == ({"run": 2}, False)


@pytest.mark.parametrize("key", ["", "k" * (MAX_KEY + 1)])
def test_a_key_is_1_to_64_characters(key: str) -> None:
    apply = Counter()
    with pytest.raises(ValidationError, match=r"1\.\.64 characters") as caught:
        apply_with(UserFactory(), key, apply)
    assert list(caught.value.details) == ["request_id"]
    assert apply.runs == 0
    check_key(None)
    check_key("k" * MAX_KEY)


def test_a_failed_apply_records_nothing_and_may_be_retried() -> None:
    user = UserFactory()

    def failing() -> dict[str, Any]:
        raise Conflict("not now")

    with pytest.raises(Conflict, match="not now"):
        apply_with(user, "k-1", failing)
    assert not IdempotencyRecord.objects.exists()
    assert apply_with(user, "k-1", Counter()) == ({"run": 1}, False)


def test_losing_the_race_answers_the_winners_outcome(monkeypatch: Any) -> None:
    """The winner's record is committed between the loser's check and its insert: the unique
    constraint refuses the insert, the loser's apply is rolled back and it replays the winner."""
    user = UserFactory()
    IdempotencyRecord.objects.create(user=user, key="k-1", fingerprint="f", outcome={"run": 0})
    real_replay, checks = idempotency._replay, []

    def replay_missing_the_winner_once(*args: Any) -> dict[str, Any] | None:
        checks.append(args)
        return None if len(checks) == 1 else real_replay(*args)

    monkeypatch.setattr(idempotency, "_replay", replay_missing_the_winner_once)

    def apply() -> dict[str, Any]:
        UserFactory(username="made-by-the-loser")
        return {"run": 1}

    assert apply_with(user, "k-1", apply) == ({"run": 0}, True)
    assert not User.objects.filter(username="made-by-the-loser").exists()


def test_fingerprints_are_stable_and_tell_commands_apart() -> None:
    first = fingerprint_of("match_result", 9, {"rows": [1, 2], "final": True})
    assert first == fingerprint_of("match_result", 9, {"final": True, "rows": [1, 2]})
    assert first != fingerprint_of("match_result", 10, {"rows": [1, 2], "final": True})
    assert first != fingerprint_of("announce", 9, {"rows": [1, 2], "final": True})
    assert len(first) == 64


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_attempts_at_once_apply_once() -> None:
    user = UserFactory()
    barrier = threading.Barrier(4)
    outcomes: list[tuple[dict[str, Any], bool]] = []
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(apply_with(user, "race", lambda: {"by": threading.get_ident()}))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(duplicate for _, duplicate in outcomes) == [False, True, True, True]
    assert len({outcome["by"] for outcome, _ in outcomes}) == 1
    assert IdempotencyRecord.objects.filter(user=user, key="race").count() == 1
