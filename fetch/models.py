"""Pydantic models of the registry's contract (``shared/registry/openapi.yaml``).

Each feed item is validated on its own (:func:`parse_item`), so one bad item
is quarantined and the rest of its page goes on. Unknown extra fields are
ignored: the registry may add fields without breaking the fetcher.
Validation messages never quote the input, since it can hold a query code or
an unscrubbed note (:func:`describe`).

Codes (regions, categories, agencies, channels, regulation ids) end up in URLs,
file names and HTML attributes of the site, so each is checked against the
strict shape the contract gives it (:data:`REGION_CODE` and its neighbours);
a case or a code-list entry whose code does not fit is set aside like any
other invalid item.
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

from sunshine.cases.query_code import PATTERN as CODE_PATTERN
from sunshine.cases.query_code import is_valid as code_is_valid

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

# The shapes of codes, from the contract (README "A case", openapi.yaml) and its
# examples. Each allows only ASCII letters, digits, "_", "." and "-", never a
# leading "." or "-", so a code is safe as a path segment, a file name or an
# attribute value wherever the site writes it.
REGION_CODE = r"^[0-9]{6}$"
"""GB/T 2260 administrative division: six digits (``330212``)."""
CATEGORY_CODE = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$"
"""Dotted, at most two levels (``land``, ``land.acquisition``)."""
TOP_CATEGORY_CODE = r"^[a-z][a-z0-9_]*$"
"""A first-level category, the parent of a second-level one (``land``)."""
AGENCY_CODE = r"^[0-9]{6}-[A-Z0-9]{1,16}$"
"""The agency's region, a dash, a department mark in capitals (``330212-ZJJ``)."""
REG_ID = r"^[a-z0-9][a-z0-9-]*$"
"""A regulation's id: lower-case words and digits joined by dashes."""
MAX_CODE_LENGTH = 64
MAX_REG_ID_LENGTH = 100

RegionCode = Annotated[str, Field(pattern=REGION_CODE)]
CategoryCode = Annotated[str, Field(max_length=MAX_CODE_LENGTH, pattern=CATEGORY_CODE)]
TopCategoryCode = Annotated[str, Field(max_length=MAX_CODE_LENGTH, pattern=TOP_CATEGORY_CODE)]
AgencyCode = Annotated[str, Field(pattern=AGENCY_CODE)]
RegId = Annotated[str, Field(max_length=MAX_REG_ID_LENGTH, pattern=REG_ID)]


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
    agency: NotRequired[AgencyCode | None]
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
    category: CategoryCode
    kind: Kind
    region: RegionCode
    agency: AgencyCode
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
    reg_id: RegId
    title: str
    issuer: str
    level: Literal["national", "provincial"]
    region: RegionCode | None = None
    issued_on: date
    effective_on: date
    status: Literal["in_force", "amended", "repealed"]
    supersedes: list[RegId] = []
    updated_at: AwareDatetime


class Regulation(RegulationMeta):
    text: Annotated[str, Field(min_length=1)]


class RegulationList(_Model):
    """The listing; its entries are validated one by one (:class:`RegulationMeta`)."""

    items: list[Any]


class CodeName(_Model):
    zh: str
    en: str | None = None


class CodeItem(_Model):
    """An entry of any code list; the lists' own models below narrow its codes."""

    code: str
    name: CodeName
    parent: str | None = None
    region: RegionCode | None = None


class CategoryItem(CodeItem):
    code: CategoryCode
    parent: TopCategoryCode | None = None


class ChannelItem(CodeItem):
    code: Channel
    parent: Channel | None = None


class RegionItem(CodeItem):
    code: RegionCode
    parent: RegionCode | None = None


class AgencyItem(CodeItem):
    code: AgencyCode
    parent: AgencyCode | None = None


class CodeList(_Model):
    """A code list; its entries are validated one by one (:data:`CODE_ITEMS`)."""

    # The contract's field is "list"; renamed here so it does not shadow the builtin.
    list_name: Annotated[str, Field(alias="list")]
    version: str
    items: list[Any]


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


CODE_ITEMS: dict[str, type[CodeItem]] = {
    "categories": CategoryItem,
    "channels": ChannelItem,
    "regions": RegionItem,
    "agencies": AgencyItem,
}
"""The model of an entry of each code list."""
CODE_LISTS = tuple(CODE_ITEMS)
"""The code lists the registry serves under ``/codes/{list}``."""
