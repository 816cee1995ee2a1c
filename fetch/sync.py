"""One fetch run: the change feed into the store, then regulations and code lists.

The feed is read page by page from the saved cursor. Each page is applied in
one transaction together with the cursor that follows it, so a run killed at
any moment resumes after the last committed page and loses nothing. Delivery
is at least once: for one case the highest ``seq`` wins and repeats are
harmless. A ``410 Gone`` starts a full sync; when it has caught up, every case
it did not deliver is removed. Invalid items are quarantined with their reason
and the rest of the page goes on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError
from pydantic_core import to_json

from fetch.client import RegistryClient
from fetch.errors import CursorExpired, RegistryProtocolError
from fetch.models import (
    CASE_FIELDS,
    CODE_ITEMS,
    EVENT_FIELDS,
    Case,
    CodeList,
    FeedPage,
    Regulation,
    RegulationList,
    RegulationMeta,
    Tombstone,
    describe,
    is_tombstone,
    parse_item,
)
from fetch.scrub import RedactionCounter, scrub
from store import CaseRow, PageBatch, Store
from sunshine.cases.calendar import SHANGHAI

log = logging.getLogger("sunshine.fetch")
PAGE_LIMIT = 1000
"""Items asked for per page: the contract's maximum, fewest round trips."""
_M = TypeVar("_M", bound=BaseModel)


@dataclass
class FetchReport:
    """What one run did; printed as the closing summary and kept in the store."""

    fetched: int = 0
    new: int = 0
    updated: int = 0
    deleted: int = 0
    stale: int = 0
    quarantined: int = 0
    pages: int = 0
    full_sync: bool = False
    removed_by_full_sync: int = 0
    regulations_updated: int = 0
    regulations_unchanged: int = 0
    code_lists: int = 0
    redactions: dict[str, int] = field(default_factory=dict)
    quarantine_reasons: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [
            f"fetched {self.fetched} items in {self.pages} pages: {self.new} new, "
            f"{self.updated} updated, {self.deleted} deleted, {self.stale} stale or repeated, "
            f"{self.quarantined} quarantined",
        ]
        if self.full_sync:
            lines.append(
                f"full sync: {self.removed_by_full_sync} cases no longer in the registry removed"
            )
        lines.append(
            f"regulations: {self.regulations_updated} updated, "
            f"{self.regulations_unchanged} unchanged; "
            f"code lists: {self.code_lists}"
        )
        lines.append(
            "redactions: " + ", ".join(f"{kind} {n}" for kind, n in self.redactions.items())
        )
        for reason, n in sorted(self.quarantine_reasons.items()):
            lines.append(f"quarantined {n}× {reason}")
        return "\n".join(lines)


def now_iso() -> str:
    return datetime.now(SHANGHAI).isoformat(timespec="seconds")


_CASE_FIELDS = tuple(name for name in CASE_FIELDS if name not in ("events", "evaluation"))
_EVENT_FIELDS = EVENT_FIELDS
_EVENT_FIELD_SET = frozenset(_EVENT_FIELDS)


def publishable(
    case: Case, raw: dict[str, Any], notes_enabled: bool, counter: RedactionCounter
) -> dict[str, Any]:
    """The case as stored: the contract's fields only, notes scrubbed (or dropped).

    Built from the raw item that ``case`` validated rather than by dumping the
    model: the values are the registry's own (times keep their offset as sent)
    and it is several times faster, which matters at a million cases.
    """
    data: dict[str, Any] = {
        "seq": case["seq"],
        "law_related": case.get("law_related", False),
        "repeat_of": case.get("repeat_of"),
    }
    for name in _CASE_FIELDS:
        if name not in data:
            data[name] = raw[name]
    events = []
    for event in raw["events"]:
        if _EVENT_FIELD_SET.issuperset(event) and None not in event.values():
            kept = event  # the usual case: nothing to leave out, no copy needed
        else:
            kept = {name: event[name] for name in _EVENT_FIELDS if event.get(name) is not None}
        note = kept.get("note")
        if note is not None:
            if notes_enabled:
                result = scrub(note)
                counter.add(result)
                kept["note"] = result.text
            else:
                del kept["note"]
        reason = kept.get("reason")
        if reason is not None:
            # A reason for not accepting is typed by staff too: scrubbed like a note.
            result = scrub(reason)
            counter.add(result)
            if result.counts:
                kept = {**kept, "reason": result.text}
        events.append(kept)
    data["events"] = events
    evaluation = raw.get("evaluation")
    data["evaluation"] = (
        {"at": evaluation["at"], "result": evaluation["result"]} if evaluation else None
    )
    return data


def _quarantine_copy(raw: Any) -> str:
    """The raw item minus its query code, with notes scrubbed: the store keeps no more."""
    if isinstance(raw, dict):
        raw = {key: value for key, value in raw.items() if key != "tracking_code"}
        events = raw.get("events")
        if isinstance(events, list):
            raw["events"] = [
                {**e, "note": scrub(e["note"]).text}
                if isinstance(e, dict) and isinstance(e.get("note"), str)
                else e
                for e in events
            ]
    return json.dumps(raw, ensure_ascii=False, sort_keys=True)


class FeedSync:
    """Applies the change feed to the store."""

    def __init__(
        self,
        client: RegistryClient,
        store: Store,
        *,
        notes_enabled: bool = True,
        page_limit: int = PAGE_LIMIT,
        on_page: Callable[[int], None] | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.notes_enabled = notes_enabled
        self.page_limit = page_limit
        self.on_page = on_page or (lambda n: None)
        self.redactions = RedactionCounter()

    def run(self, report: FetchReport) -> None:
        """Fetch pages until the registry says it has no more.

        The next page is requested while the current one is applied (its cursor
        is known as soon as the current page arrives), so the registry's time
        to answer overlaps with ours to store.
        """
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed")
        ahead: tuple[str | None, Future[FeedPage]] | None = None
        try:
            while True:
                cursor = self.store.state("cursor")
                if ahead and ahead[0] == cursor:
                    future = ahead[1]
                else:
                    future = pool.submit(self._get_page, cursor)
                ahead = None
                try:
                    page = future.result()
                except CursorExpired:
                    log.warning("the saved cursor has expired: running a full sync")
                    with self.store.transaction():
                        self.store.start_full_sync()
                    report.full_sync = True
                    continue
                if page.has_more:
                    ahead = (page.next, pool.submit(self._get_page, page.next))
                with self.store.transaction():
                    self._apply(page, report)
                    self.store.set_state("cursor", page.next)
                    # The registry's own time for the data: what "data as of" means.
                    self.store.set_state(
                        "data_as_of",
                        page.generated_at.astimezone(SHANGHAI).isoformat(timespec="seconds"),
                    )
                    if not page.has_more and self.store.state("mode") == "full":
                        report.removed_by_full_sync += self.store.finish_full_sync()
                report.pages += 1
                self.on_page(len(page.items))
                if not page.has_more:
                    break
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        report.redactions = self.redactions.as_dict()

    def _get_page(self, cursor: str | None) -> FeedPage:
        params: dict[str, Any] = {"limit": self.page_limit}
        if cursor:
            params["since"] = cursor
        answer = self.client.get("cases", params)
        try:
            return FeedPage.model_validate(answer.body)
        except ValidationError as error:
            raise RegistryProtocolError(
                f"a feed page breaks the contract: {describe(error)}"
            ) from None

    def _apply(self, page: FeedPage, report: FetchReport) -> None:
        at = now_iso()
        seen = [
            raw["case_id"]
            for raw in page.items
            if isinstance(raw, dict) and isinstance(raw.get("case_id"), str)
        ]
        batch = PageBatch(self.store, seen)
        for raw in page.items:
            report.fetched += 1
            try:
                item = parse_item(raw)
            except ValidationError as error:
                self._set_aside(raw, describe(error), at, report)
                continue
            if is_tombstone(item):
                tombstone = cast(Tombstone, item)
                outcome = batch.tombstone(
                    tombstone["case_id"],
                    tombstone["seq"],
                    tombstone.get("reason"),
                    raw["updated_at"],
                )
            else:
                case = cast(Case, item)

                def row(case: Case = case, raw: dict[str, Any] = raw) -> CaseRow:
                    data = publishable(case, raw, self.notes_enabled, self.redactions)
                    return (
                        case["case_id"],
                        case["seq"],
                        case["tracking_code"],
                        data["received_at"],
                        data["updated_at"],
                        to_json(data).decode(),
                    )

                outcome = batch.case(case["case_id"], case["seq"], row)
            if outcome == "new":
                report.new += 1
            elif outcome == "updated":
                report.updated += 1
            elif outcome in ("deleted", "absent"):
                report.deleted += 1
            else:
                report.stale += 1
        batch.write()
        if self.store.state("mode") == "full":
            self.store.mark_seen(seen)

    def _set_aside(self, raw: Any, reason: str, at: str, report: FetchReport) -> None:
        case_id = raw.get("case_id") if isinstance(raw, dict) else None
        seq = raw.get("seq") if isinstance(raw, dict) else None
        self.store.quarantine(
            case_id if isinstance(case_id, str) else None,
            seq if isinstance(seq, int) else None,
            reason,
            _quarantine_copy(raw),
            at,
        )
        report.quarantined += 1
        report.quarantine_reasons[reason] = report.quarantine_reasons.get(reason, 0) + 1


def _set_aside_entry(store: Store, what: str, raw: Any, reason: str, report: FetchReport) -> None:
    """Quarantine an entry that is not a case: a code-list entry or a regulation.

    These lists are fetched whole on every run, so an entry that stays bad is
    recorded once, not once a run; the run's report counts it every time.
    """
    reason = f"{what}: {reason}"
    with store.transaction():
        store.quarantine_once(
            reason, json.dumps(raw, ensure_ascii=False, sort_keys=True), now_iso()
        )
    log.warning("set aside an entry of %s", reason)
    report.quarantined += 1
    report.quarantine_reasons[reason] = report.quarantine_reasons.get(reason, 0) + 1


def _listing(model: type[_M], answer_body: Any, what: str) -> _M:
    """The shape of a listing (``/regulations``, ``/codes/{list}``), or the run stops (exit 4)."""
    try:
        return model.model_validate(answer_body)
    except ValidationError as error:
        raise RegistryProtocolError(f"{what} breaks the contract: {describe(error)}") from None


def fetch_regulations(client: RegistryClient, store: Store, report: FetchReport) -> None:
    """Regulation texts, asking with the saved ETag so unchanged texts cost a 304.

    An entry of the listing, or a text, that breaks the contract is set aside
    and the stored copy of that regulation (if any) is kept.
    """
    listing = _listing(RegulationList, client.get("regulations").body, "the regulations listing")
    etags = store.regulation_etags()
    listed: list[str] = []
    for raw in listing.items:
        if isinstance(raw, dict) and isinstance(raw.get("reg_id"), str):
            listed.append(raw["reg_id"])  # kept even if the entry is bad: never removed for that
        try:
            meta = RegulationMeta.model_validate(raw)
        except ValidationError as error:
            _set_aside_entry(store, "regulations", raw, describe(error), report)
            continue
        answer = client.get(f"regulations/{meta.reg_id}", etag=etags.get(meta.reg_id))
        if answer.status == 304:
            report.regulations_unchanged += 1
            continue
        body = answer.body
        shown = {k: v for k, v in body.items() if k != "text"} if isinstance(body, dict) else body
        try:
            regulation = Regulation.model_validate(body)
        except ValidationError as error:
            _set_aside_entry(store, f"regulations/{meta.reg_id}", shown, describe(error), report)
            continue
        if regulation.reg_id != meta.reg_id:
            _set_aside_entry(
                store,
                f"regulations/{meta.reg_id}",
                shown,
                "reg_id: not the one asked for",
                report,
            )
            continue
        with store.transaction():
            store.put_regulation(
                regulation.reg_id,
                regulation.model_dump_json(exclude={"text"}),
                regulation.text,
                answer.etag,
                now_iso(),
            )
        report.regulations_updated += 1
    with store.transaction():
        store.keep_only_regulations(listed)


def fetch_code_lists(client: RegistryClient, store: Store, report: FetchReport) -> None:
    """Each code list; an entry whose code (or parent, or region) has the wrong shape is set aside.

    Codes become URLs, file names and attribute values of the site: see the
    patterns in :mod:`fetch.models`. A code that appears twice is set aside the
    second time, so that one code names one thing.
    """
    for name, model in CODE_ITEMS.items():
        what = f"codes/{name}"
        codes = _listing(CodeList, client.get(what).body, f"the code list {what}")
        if codes.list_name != name:
            raise RegistryProtocolError(f"the code list {what} names itself another list")
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        for raw in codes.items:
            try:
                item = model.model_validate(raw)
            except ValidationError as error:
                _set_aside_entry(store, what, raw, describe(error), report)
                continue
            if item.code in seen:
                _set_aside_entry(store, what, raw, "code: appears more than once", report)
                continue
            seen.add(item.code)
            items.append(item.model_dump(mode="json"))
        with store.transaction():
            store.put_code_list(
                name, codes.version, json.dumps(items, ensure_ascii=False), now_iso()
            )
        report.code_lists += 1


def fetch_all(
    client: RegistryClient,
    store: Store,
    *,
    notes_enabled: bool = True,
    page_limit: int = PAGE_LIMIT,
    on_page: Callable[[int], None] | None = None,
) -> FetchReport:
    """One complete run: cases, regulations, code lists; then the success is recorded."""
    report = FetchReport()
    FeedSync(
        client, store, notes_enabled=notes_enabled, page_limit=page_limit, on_page=on_page
    ).run(report)
    fetch_regulations(client, store, report)
    fetch_code_lists(client, store, report)
    with store.transaction():
        store.set_state("last_success", now_iso())
        store.set_state("last_report", json.dumps(report.__dict__, ensure_ascii=False))
    return report
