"""Reading a submitted form: the API's own request schemas check it, so a page accepts
exactly what the API accepts, and a refusal names the field in plain words."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from application.persistence.records import IdempotencyClaim
from interfaces.web.security import CSRF_FIELD

M = TypeVar("M", bound=BaseModel)

IDEMPOTENCY_FIELD = "idempotency_key"

LABELS = {
    "text": "The text",
    "area": "The area of need",
    "aspiration": "The aspiration",
    "outcome_id": "The outcome",
    "due_on": "The due date",
    "success_criteria": "How you will know",
    "reason": "The reason",
    "information": "What was shared",
    "shared_with": "Who it was shared with",
    "necessary_because": "Why it was necessary",
    "lawful_basis": "The lawful basis",
    "not_informed_because": "Why the family was not told",
    "occurred_on": "The date it happened",
    "kind": "The kind",
    "description": "The description",
    "target_ids": "The targets it supports",
    "frequency": "How often",
    "staff": "Who delivers it",
    "cost": "The cost",
    "sessions_per_week": "Sessions per week",
    "minutes_per_session": "Minutes per session",
    "funding": "The funding",
    "recommended_by": "Recommended by",
    "held_on": "The review date",
    "attendees": "Who attended",
    "summary": "The summary",
    "next_review_on": "The next review date",
    "progress": "The progress",
    "impact": "The impact",
    "stage": "The stage",
    "org": "The organisation id",
    "name": "The name",
    "whose": "Whose views",
    "user_id": "The user id",
    "role": "The role",
    "plan_type": "The type of plan",
    "date_of_birth": "The date of birth",
    "source": "Where the information came from",
    "period_from": "The start of the period",
    "period_to": "The end of the period",
    "wellbeing": "The wellbeing indicators",
    "agency": "The agency",
    "action": "What was done",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a form: the field's place in the body (no list indexes), and
    why in words ("is needed"). A rule across fields has no place: its words are whole."""

    path: tuple[str, ...]
    rule: str


class Refusal(str):
    """A refused form's message, naming each field by its label and saying why; `fields`
    holds the same sentence by the input's name, to show beside that field."""

    fields: dict[str, str]

    def __new__(cls, message: str, fields: Mapping[str, str] | None = None) -> Refusal:
        refusal = super().__new__(cls, message)
        refusal.fields = dict(fields or {})
        return refusal


class FormInvalid(Exception):
    """What the person typed does not make a valid command; the message says why."""

    def __init__(
        self, message: str, problems: Sequence[Problem] = (), labels: Mapping[str, str] = LABELS
    ) -> None:
        super().__init__(message)
        self.problems = tuple(problems)
        self.labels = labels

    def refusal(
        self, labels: Mapping[str, str] | None = None, inputs: Mapping[str, str] | None = None
    ) -> Refusal:
        """The message with the fields named by `labels` (a form's own words, over those
        it was checked with); `inputs` maps a field's dotted path to its input's name."""
        if not self.problems:
            return Refusal(str(self))
        return worded(self.problems, {**self.labels, **(labels or {})}, inputs)


def value(form: FormData | Mapping[str, Any], name: str) -> str | None:
    """A field's text, or None if left empty."""
    raw = form.get(name)
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    return raw or None


def typed(form: FormData) -> dict[str, Any]:
    """What the person typed, to put back in the form when it is refused."""
    kept: dict[str, Any] = {}
    for key, item in form.multi_items():
        if key in (CSRF_FIELD, IDEMPOTENCY_FIELD) or not isinstance(item, str):
            continue
        if key in kept:
            kept[key] = [*(kept[key] if isinstance(kept[key], list) else [kept[key]]), item]
        else:
            kept[key] = item
    return kept


def validate(schema: type[M], data: dict[str, Any], labels: Mapping[str, str] = LABELS) -> M:
    try:
        return schema.model_validate(data)
    except ValidationError as e:
        found = problems(e)
        raise FormInvalid(worded(found, labels), found, labels) from None


def explain(error: ValidationError, labels: Mapping[str, str] = LABELS) -> Refusal:
    """The first problems, as sentences; never the input itself (it may be personal)."""
    return worded(problems(error), labels)


def problems(error: ValidationError) -> list[Problem]:
    found = []
    for item in error.errors()[:3]:
        if item.get("type") == "value_error" and not item.get("loc"):
            # A rule across fields, worded by the domain as a sentence of its own.
            found.append(Problem((), str(item.get("msg", "")).removeprefix("Value error, ")))
            continue
        path = tuple(str(p) for p in item.get("loc", ()) if not isinstance(p, int))
        found.append(Problem(path, _rule(item)))
    return found


def worded(
    found: Sequence[Problem], labels: Mapping[str, str], inputs: Mapping[str, str] | None = None
) -> Refusal:
    sentences: dict[str, None] = {}
    fields: dict[str, str] = {}
    for problem in found:
        if not problem.path:
            sentences[problem.rule] = None
            continue
        label = next((labels[p] for p in reversed(problem.path) if p in labels), "A field")
        sentence = f"{label} {problem.rule}."
        sentences[sentence] = None
        name = (inputs or {}).get(".".join(problem.path), problem.path[-1])
        if sentence not in fields.get(name, ""):
            fields[name] = f"{fields[name]} {sentence}" if name in fields else sentence
    return Refusal(" ".join(sentences), fields)


def _rule(item: Mapping[str, Any]) -> str:
    kind = item.get("type", "")
    ctx = item.get("ctx") or {}
    if item.get("input") in (None, "") or kind in ("missing", "string_too_short"):
        return "is needed"
    if kind.startswith("date"):
        return "must be a date"
    if kind in ("enum", "literal_error", "uuid_parsing", "uuid_type"):
        return "must be one of the choices offered"
    limit = ctx.get("max_length")
    if kind == "string_too_long" and isinstance(limit, int):
        given = item.get("input")
        has = f" (it has {len(given):,})" if isinstance(given, str) else ""
        return f"is too long: at most {limit:,} characters{has}"
    if kind == "too_long" and isinstance(limit, int):
        return f"has too many entries: at most {limit:,}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}"
    if kind.startswith(("int", "decimal", "float")):
        return "must be a number"
    return "is not valid"


def claim(form: FormData, scope: str, path: str) -> IdempotencyClaim | None:
    """Each rendered form carries a fresh key, so a double click writes once."""
    key = value(form, IDEMPOTENCY_FIELD)
    if key is None:
        return None
    fields = sorted(typed(form).items(), key=lambda kv: kv[0])
    fingerprint = hashlib.sha256(f"POST {path}\n{fields!r}".encode()).hexdigest()
    return IdempotencyClaim(scope=scope, key=key[:200], fingerprint=fingerprint)
