"""Pydantic models of the registry's contract (``shared/registry/openapi.yaml``).

Each feed item is validated on its own (:func:`parse_item`), so one bad item
is quarantined and the rest of its page goes on. Unknown extra fields are
ignored: the registry may add fields without breaking the fetcher.
Validation messages never quote the input, since it can hold a query code or
an unscrubbed note (:func:`describe`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from sunshine.query_code import PATTERN as CODE_PATTERN
from sunshine.query_code import is_valid as code_is_valid

Channel = Literal["online", "letter", "visit", "phone", "email", "fax", "video"]
Kind = Literal["complaint", "suggestion", "report", "consultation"]
EventType = Literal[
    "registered",
    "forwarded",
    "receipt_notified",
    "accepted",
    "not_accepted",
    "extended",
    "replied",
    "review_requested",
    "review_decided",
    "rereview_requested",
    "hearing_held",
    "rereview_decided",
    "closed",
    "withdrawn",
]
Outcome = Literal["supported", "explained", "not_supported"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Event(_Model):
    id: Annotated[str, Field(min_length=1, max_length=64)]
    type: EventType
    at: AwareDatetime
    agency: str | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None
    outcome: Outcome | None = None
    reason: str | None = None
    days: Annotated[int, Field(ge=1, le=30)] | None = None


class Evaluation(_Model):
    at: AwareDatetime
    result: Literal["satisfied", "basically_satisfied", "unsatisfied"]


class Case(_Model):
    case_id: Annotated[str, Field(min_length=1, max_length=64)]
    seq: int
    tracking_code: str
    received_at: AwareDatetime
    channel: Channel
    category: Annotated[str, Field(pattern=r"^[a-z_]+(\.[a-z_]+)?$")]
    kind: Kind
    region: Annotated[str, Field(pattern=r"^[0-9]{6}$")]
    agency: Annotated[str, Field(min_length=1)]
    repeat_of: str | None = None
    law_related: bool = False
    events: list[Event]
    evaluation: Evaluation | None = None
    updated_at: AwareDatetime

    @field_validator("tracking_code")
    @classmethod
    def _check_symbol(cls, value: str) -> str:
        if not CODE_PATTERN.match(value):
            raise ValueError("not four groups of four Crockford Base32 symbols")
        if not code_is_valid(value):
            raise ValueError("wrong check symbol")
        return value

    @field_validator("events")
    @classmethod
    def _unique_event_ids(cls, events: list[Event]) -> list[Event]:
        # A corrected event keeps its id; two different events never share one.
        ids = [event.id for event in events]
        if len(ids) != len(set(ids)):
            raise ValueError("two events share an id")
        return events


class Tombstone(_Model):
    case_id: Annotated[str, Field(min_length=1, max_length=64)]
    seq: int
    deleted: Literal[True]
    reason: Literal["withdrawn", "erased", "merged"] | None = None
    updated_at: AwareDatetime


class FeedPage(_Model):
    """A page of the change feed; its items are validated one by one later."""

    items: list[Any]
    next: Annotated[str, Field(min_length=1)]
    has_more: bool
    generated_at: AwareDatetime


class RegulationMeta(_Model):
    reg_id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: str
    issuer: str
    level: Literal["national", "provincial"]
    region: str | None = None
    issued_on: date
    effective_on: date
    status: Literal["in_force", "amended", "repealed"]
    supersedes: list[str] = []
    updated_at: AwareDatetime


class Regulation(RegulationMeta):
    text: Annotated[str, Field(min_length=1)]


class RegulationList(_Model):
    items: list[RegulationMeta]


class CodeName(_Model):
    zh: str
    en: str | None = None


class CodeItem(_Model):
    code: str
    name: CodeName
    parent: str | None = None
    region: str | None = None


class CodeList(_Model):
    # The contract's field is "list"; renamed here so it does not shadow the builtin.
    list_name: Annotated[str, Field(alias="list")]
    version: str
    items: list[CodeItem]


FeedItem = Case | Tombstone


def describe(error: ValidationError) -> str:
    """A reason that names every bad field and never quotes the input."""
    parts = []
    for problem in error.errors(include_input=False, include_url=False):
        where = ".".join(str(part) for part in problem["loc"]) or "item"
        parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)


def parse_item(raw: Any) -> FeedItem:
    """Validate one feed item as a tombstone (if it says ``deleted``) or a case."""
    if isinstance(raw, dict) and raw.get("deleted") is True:
        return Tombstone.model_validate(raw)
    return Case.model_validate(raw)


CODE_LISTS = ("categories", "channels", "regions", "agencies")
"""The code lists the registry serves under ``/codes/{list}``."""
