"""Pydantic models of the registry's contract (``shared/registry/openapi.yaml``).

Each feed item is validated on its own (:func:`parse_item`), so one bad item
is quarantined and the rest of its page goes on. Unknown extra fields are
ignored: the registry may add fields without breaking the fetcher.
Validation messages never quote the input, since it can hold a query code or
an unscrubbed note (:func:`describe`).
"""

from datetime import date
from typing import Annotated, Any, Literal, NotRequired

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
)
from typing_extensions import TypedDict

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


# Feed items are TypedDicts validated by pydantic rather than BaseModels: the
# same checks, but about four times faster, because no model instance is built
# per case and per event. That is what keeps a million-case fetch in budget.
# Keys the contract does not know are dropped by validation.


def _check_symbol(value: str) -> str:
    if not code_is_valid(value):
        raise ValueError("wrong check symbol")
    return value


def _unique_event_ids(events: "list[Event]") -> "list[Event]":
    # A corrected event keeps its id; two different events never share one.
    ids = [event["id"] for event in events]
    if len(ids) != len(set(ids)):
        raise ValueError("two events share an id")
    return events


class Event(TypedDict):
    id: Annotated[str, Field(min_length=1, max_length=64)]
    type: EventType
    at: AwareDatetime
    agency: NotRequired[str | None]
    note: NotRequired[Annotated[str, Field(max_length=2000)] | None]
    outcome: NotRequired[Outcome | None]
    reason: NotRequired[str | None]
    days: NotRequired[Annotated[int, Field(ge=1, le=30)] | None]


class Evaluation(TypedDict):
    at: AwareDatetime
    result: Literal["satisfied", "basically_satisfied", "unsatisfied"]


class Case(TypedDict):
    case_id: Annotated[str, Field(min_length=1, max_length=64)]
    seq: int
    tracking_code: Annotated[
        str, Field(pattern=CODE_PATTERN.pattern), AfterValidator(_check_symbol)
    ]
    received_at: AwareDatetime
    channel: Channel
    category: Annotated[str, Field(pattern=r"^[a-z_]+(\.[a-z_]+)?$")]
    kind: Kind
    region: Annotated[str, Field(pattern=r"^[0-9]{6}$")]
    agency: Annotated[str, Field(min_length=1)]
    repeat_of: NotRequired[str | None]
    law_related: NotRequired[bool]
    events: Annotated[list[Event], AfterValidator(_unique_event_ids)]
    evaluation: NotRequired[Evaluation | None]
    updated_at: AwareDatetime


class Tombstone(TypedDict):
    case_id: Annotated[str, Field(min_length=1, max_length=64)]
    seq: int
    deleted: Literal[True]
    reason: NotRequired[Literal["withdrawn", "erased", "merged"] | None]
    updated_at: AwareDatetime


_CASE = TypeAdapter(Case)  # TypedDicts ignore (and drop) extra keys by default
_TOMBSTONE = TypeAdapter(Tombstone)
CASE_FIELDS = tuple(Case.__annotations__)
EVENT_FIELDS = tuple(Event.__annotations__)


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
        return _TOMBSTONE.validate_python(raw)
    return _CASE.validate_python(raw)


def is_tombstone(item: FeedItem) -> bool:
    return "deleted" in item


CODE_LISTS = ("categories", "channels", "regions", "agencies")
"""The code lists the registry serves under ``/codes/{list}``."""
