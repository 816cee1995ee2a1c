"""One synthetic case: its whole life planned from (seed, index), rendered as of a moment.

A case's life (registered, forwarded, ..., closed) is planned in full from a
``random.Random`` seeded with ``seed * 1_000_003 + index``, including steps that
lie in the future; a delivery shows the steps up to its "as of" minute. That is
how recent cases come out open at various stages, and how a later revision of the
same case shows more events with nothing contradicting the first delivery.

Everything here runs once per delivered item, a thousand times per page, so the
code favours plain tuples and table look-ups over datetime arithmetic: times are
integer minutes since a local midnight (``clock.Clock``), formatted through a table.
"""

from __future__ import annotations

import hashlib
from _random import Random as _CRandom
from bisect import bisect
from collections.abc import Callable
from itertools import accumulate
from random import Random
from typing import Any

from sunshine.cases.query_code import ALPHABET

from .clock import DAY, OFFICE_LENGTH, OFFICE_START, TOD, Clock
from .codes import CHANNELS, COUNTIES, KINDS, LEAF_CATEGORIES
from .notes import LAW_CLOSED, LAW_NOT_ACCEPTED, NOT_ACCEPTED, note_for

_REGIONS = [c[0] for c in COUNTIES]
_REGION_CUM = list(accumulate(c[3] for c in COUNTIES))
_CAT_CUM = list(accumulate(c[3] for c in LEAF_CATEGORIES))
_CHANNEL_NAMES = [c[0] for c in CHANNELS]
_CHANNEL_CUM = list(accumulate(c[3] for c in CHANNELS))
_KIND_NAMES = [k[0] for k in KINDS]
_KIND_CUM = list(accumulate(k[1] for k in KINDS))
_OFFICE_CHANNELS = {"letter", "visit", "phone", "video"}  # registered in office hours only

# Share of a case's events that carry a staff note, by event type.
_NOTE_SHARE = {
    "registered": 0.05,
    "forwarded": 0.3,
    "receipt_notified": 0.15,
    "accepted": 0.1,
    "not_accepted": 0.3,
    "extended": 0.9,
    "replied": 0.8,
    "review_requested": 0.5,
    "review_decided": 0.6,
    "rereview_requested": 0.5,
    "hearing_held": 0.7,
    "rereview_decided": 0.6,
    "closed": 0.1,
    "withdrawn": 0.6,
}
# Evaluation shares by reply outcome: a supported petitioner is mostly satisfied.
_EVALUATION = {"supported": (0.8, 0.95), "explained": (0.6, 0.88), "not_supported": (0.3, 0.65)}
REPEAT_SHARE = 0.08
# Mean accepted->replied days of unextended cases: e^(mu + sigma^2 / 2) ~ 11; with the
# 7% extended cases (50-90 days) the overall mean comes to about 14.6 days.
_HANDLING_MU, _HANDLING_SIGMA = 1.93, 0.95
# Luhn mod 32 over the 15 payload symbols doubles the rightmost and every second one
# leftwards: symbols 0, 2, ..., 14 counted from the left. Three symbols at a time
# (15 bits) are looked up with their share of the sum: chunks 0, 2, 4 start on a
# doubled symbol, chunks 1, 3 on a plain one.
_DOUBLED = [2 * v // 32 + 2 * v % 32 for v in range(32)]
_TRIPLE = [ALPHABET[v >> 10] + ALPHABET[(v >> 5) & 31] + ALPHABET[v & 31] for v in range(32768)]
_SUM_EVEN = [_DOUBLED[v >> 10] + ((v >> 5) & 31) + _DOUBLED[v & 31] for v in range(32768)]
_SUM_ODD = [(v >> 10) + _DOUBLED[(v >> 5) & 31] + (v & 31) for v in range(32768)]
_new_random = Random.__new__
_c_seed = _CRandom.seed
_HANDOVERS = {"forwarded", "review_requested", "rereview_requested"}
_IDS_E = [f"e{n}" for n in range(1, 40)]  # event ids; a few cases number them a1, a2, ...
_IDS_A = [f"a{n}" for n in range(1, 40)]
_HORIZON = 600 * DAY  # a life's last step comes well within 600 days of receipt
_M37, _M38 = (1 << 37) - 1, (1 << 38) - 1


class CaseMaker:
    """Builds case items and tombstones; holds no per-case state."""

    def __init__(
        self,
        seed: int,
        clock: Clock,
        received: Callable[[int, float], tuple[int, int]],
        repeat_window: int,
    ) -> None:
        self.seed = seed
        self.clock = clock
        # (index, jitter) -> (minute, earliest minute); the registry's layout decides
        self._received = received
        self.repeat_window = max(1, repeat_window)
        key = hashlib.blake2b(f"sunshine-demo-registry/{seed}".encode(), digest_size=32).digest()
        # keyed hashers copied per use: cheaper than keying a new one each time
        self._h1 = hashlib.blake2b(key=key[:16], digest_size=5)
        self._h2 = hashlib.blake2b(key=key[16:], digest_size=5)

    def rng(self, index: int) -> Random:
        """``Random(seed * 1_000_003 + index)``, made without the Python-level ``seed``
        wrapper (it only forwards an int to the C one): the same stream, 2 µs sooner."""
        rng = _new_random(Random)
        _c_seed(rng, self.seed * 1_000_003 + index)
        rng.gauss_next = None  # type: ignore[attr-defined]  # as Random.seed leaves it
        return rng

    def tracking_code(self, index: int) -> str:
        """The query code of a case: a keyed two-round Feistel permutation of its index.

        Each round adds a keyed BLAKE2b hash of the other half, so the 75-bit payload
        looks random yet is unique per index (a permutation never collides). Symbols
        and check symbol come from tables of three symbols at a time: the same result
        as ``sunshine.cases.query_code.make_code`` (tested), several times faster.
        """
        a = (index >> 37) & _M38
        b = index & _M37
        h = self._h1.copy()
        h.update(b.to_bytes(5, "big"))
        a = (a + int.from_bytes(h.digest(), "big")) & _M38
        h = self._h2.copy()
        h.update(a.to_bytes(5, "big"))
        b = (b + int.from_bytes(h.digest(), "big")) & _M37
        x = (a << 37) | b  # 15 symbols of 5 bits, the first in the highest bits
        c0, c1, c2, c3, c4 = (
            x >> 60,
            (x >> 45) & 32767,
            (x >> 30) & 32767,
            (x >> 15) & 32767,
            (x & 32767),
        )
        total = _SUM_EVEN[c0] + _SUM_ODD[c1] + _SUM_EVEN[c2] + _SUM_ODD[c3] + _SUM_EVEN[c4]
        s = (
            _TRIPLE[c0]
            + _TRIPLE[c1]
            + _TRIPLE[c2]
            + _TRIPLE[c3]
            + _TRIPLE[c4]
            + ALPHABET[-total % 32]
        )
        return f"{s[:4]}-{s[4:8]}-{s[8:12]}-{s[12:]}"

    def identity(self, index: int) -> tuple[Random, str, str, int, int, int, str, str | None]:
        """(rng, case_id, region, category#, channel#, received minute, kind, repeat_of).

        A repeat petition (重复信访) takes its region and category from the earlier
        case it repeats, so the earlier case's identity is computed here as well.
        """
        rng = self.rng(index)
        rand = rng.random
        region = _REGIONS[bisect(_REGION_CUM, rand() * _REGION_CUM[-1])]
        category = bisect(_CAT_CUM, rand() * _CAT_CUM[-1])
        channel = bisect(_CHANNEL_CUM, rand() * _CHANNEL_CUM[-1])
        received, earliest = self._received(index, rand())
        u = rand()  # drawn for every channel, so that later draws do not depend on it
        if _CHANNEL_NAMES[channel] in _OFFICE_CHANNELS:
            in_office = self.clock.office_before(received, u)
            received = in_office if in_office >= earliest else received
        kind = _KIND_NAMES[bisect(_KIND_CUM, rand() * _KIND_CUM[-1])]
        repeat_of = None
        gap = self.repeat_window // 8  # received well before, whatever office hours did
        if rand() < REPEAT_SHARE and index > gap:
            earlier = index - gap - 1 - int(rand() * min(self.repeat_window, index - gap))
            _r, repeat_of, region, category, *_ = self.identity(earlier)
        case_id = f"XF{self.clock.days_until(received)[received // DAY][:4]}-{region}-{index:06d}"
        return rng, case_id, region, category, channel, received, kind, repeat_of

    def build(
        self, index: int, seq: int, asof: int, earlier: bool = False
    ) -> tuple[dict[str, Any], int]:
        """The case as of minute ``asof`` and the minute of its ``updated_at``.

        ``earlier`` makes the delivery an earlier version: a prefix of its events,
        with one event in its original (later corrected) content now and then.
        """
        rng, case_id, region, cat_i, ch_i, received, kind, repeat_of = self.identity(index)
        rand = rng.random
        days = self.clock.days_until(received + _HORIZON)  # no event is planned later
        weekday0 = self.clock.weekday0
        category, _zh, _en, _w, suffix = LEAF_CATEGORIES[cat_i]
        law = category.startswith("law.") or rand() < 0.02
        handler = f"{region}-{suffix}"
        ids = _IDS_E if rand() < 0.8 else _IDS_A
        plan: list[tuple[int, dict[str, Any]]] = []
        handovers: list[tuple[int, str]] = []  # when the responsible agency changed

        def step(
            after: int, wait: int, event_type: str, agency: str, key: str = "", value: Any = None
        ) -> int:
            """Plan an event in office hours ``wait`` days after minute ``after`` (past a
            weekend), or at ``after`` itself when ``wait`` < 0; return its minute.
            (Inlined date arithmetic, not a Clock method: this runs six times per item.)"""
            if wait < 0:
                minute = after
            else:
                day = after // DAY + wait
                weekday = (weekday0 + day) % 7
                if weekday >= 5:
                    day += 7 - weekday
                minute = day * DAY + OFFICE_START + int(rand() * OFFICE_LENGTH)
                if minute <= after:
                    minute = after + 5 + int(rand() * 120)
            event: dict[str, Any] = {
                "id": ids[len(plan)],
                "type": event_type,
                "at": days[minute // DAY] + TOD[minute % DAY],
                "agency": agency,
            }
            if key:
                event[key] = value
            if key != "note" and rand() < _NOTE_SHARE[event_type]:
                event["note"] = note_for(rand, event_type, category, region)
            if event_type in _HANDOVERS:
                handovers.append((minute, agency))
            plan.append((minute, event))
            return minute

        evaluation: tuple[int, dict[str, Any]] | None = None
        stall = int(rand() * 3) if rand() < 0.002 else -1  # stuck for good: overdue
        t = step(received, -1, "registered", f"{region}-XFJ")
        if stall != 0:
            r = rand()
            t = step(
                t, 16 + int(rand() * 10) if r < 0.01 else 1 + int(r * r * 9), "forwarded", handler
            )
            r = rand()
            t = step(
                t,
                16 + int(rand() * 6) if r < 0.02 else 1 + int(r * r * 11),
                "receipt_notified",
                handler,
            )
            if rand() < (0.45 if law else 0.02):
                t = step(
                    t,
                    int(rand() * 3),
                    "not_accepted",
                    handler,
                    "reason",
                    LAW_NOT_ACCEPTED if law else NOT_ACCEPTED[int(rand() * 4)],
                )
                step(t, 1 + int(rand() * 5), "closed", handler)
            else:
                accepted = step(t, int(rand() * 2), "accepted", handler)
                if stall < 0:
                    evaluation = self._handle(step, rand, rng, accepted, region, suffix, law)
        corrected = rand() < 0.3 and len(plan) > 2  # event 2 corrected later: see ``earlier``
        return self._render(
            plan,
            handovers,
            evaluation,
            corrected,
            rng,
            asof,
            earlier,
            {
                "case_id": case_id,
                "seq": seq,
                "tracking_code": self.tracking_code(index),
                "received_at": days[received // DAY] + TOD[received % DAY],
                "channel": _CHANNEL_NAMES[ch_i],
                "category": category,
                "kind": kind,
                "region": region,
                "agency": f"{region}-XFJ",
                "repeat_of": repeat_of,
                "law_related": law,
            },
        )

    def _handle(
        self,
        step: Callable[..., int],
        rand: Callable[[], float],
        rng: Random,
        accepted: int,
        region: str,
        suffix: str,
        law: bool,
    ) -> tuple[int, dict[str, Any]] | None:
        """Plan handling after acceptance; return the evaluation (minute, value) if any."""
        handler = f"{region}-{suffix}"
        if rand() < 0.03:
            step(accepted, 2 + int(rand() * 38), "withdrawn", handler)
            return None
        if law and rand() < 0.3:  # concluded in its own procedure (终结)
            step(accepted, 10 + int(rand() * 50), "closed", handler, "note", LAW_CLOSED)
            return None
        if rand() < 0.08:
            extension = 1 + int(rand() * 30)
            ext_day = 45 + int(rand() * 12)
            if extension >= 10 and rand() < 0.2:  # two extensions within the 30 days
                first = extension // 2
                step(accepted, ext_day - 8, "extended", handler, "days", first)
                step(accepted, ext_day, "extended", handler, "days", extension - first)
            else:
                step(accepted, ext_day, "extended", handler, "days", extension)
            late = rand() < 0.15
            days = (
                61 + extension + int(rand() * 30)
                if late
                else (ext_day + 2 + int(rand() * (60 + extension - ext_day - 2)))
            )
        else:
            days = int(min(240.0, rng.lognormvariate(_HANDLING_MU, _HANDLING_SIGMA)))
        r = rand()
        outcome = "supported" if r < 0.25 else "explained" if r < 0.8 else "not_supported"
        replied = step(accepted, days, "replied", handler, "outcome", outcome)
        evaluation = None
        unsatisfied = False
        if rand() < 0.6:
            at = replied + (1 + int(rand() * 14)) * DAY + int(rand() * DAY)
            r, (p_sat, p_basic) = rand(), _EVALUATION[outcome]
            result = (
                "satisfied"
                if r < p_sat
                else "basically_satisfied"
                if r < p_basic
                else ("unsatisfied")
            )
            unsatisfied = result == "unsatisfied"
            evaluation = (at, {"at": self.clock.fmt(at), "result": result})
        final = replied
        if rand() < (0.4 if unsatisfied else 0.06 if evaluation is None else 0.02):
            upper = f"{region[:4]}00-{suffix}"  # the next level up reviews
            requested = step(replied, 3 + int(rand() * 24), "review_requested", upper)
            wait = 31 + int(rand() * 14) if rand() < 0.03 else 10 + int(rand() * 18)
            r = rand()
            outcome = "not_supported" if r < 0.55 else "explained" if r < 0.9 else "supported"
            final = step(requested, wait, "review_decided", upper, "outcome", outcome)
            if rand() < 0.25:
                top = f"330000-{suffix}"
                requested = step(final, 3 + int(rand() * 24), "rereview_requested", top)
                hearing = 0
                if rand() < 0.6:
                    hearing = 1 + int(rand() * 10)
                    requested = step(
                        requested, 5 + int(rand() * 12), "hearing_held", top, "days", hearing
                    )
                outcome = "not_supported" if rand() < 0.7 else "explained"
                final = step(
                    requested,
                    10 + int(rand() * 18) + hearing,
                    "rereview_decided",
                    top,
                    "outcome",
                    outcome,
                )
        step(final, 1 + int(rand() * 9), "closed", handler)
        return evaluation

    def _render(
        self,
        plan: list[tuple[int, dict[str, Any]]],
        handovers: list[tuple[int, str]],
        evaluation: tuple[int, dict[str, Any]] | None,
        corrected: bool,
        rng: Random,
        asof: int,
        earlier: bool,
        case: dict[str, Any],
    ) -> tuple[dict[str, Any], int]:
        """Cut the plan at ``asof`` (and to a prefix for an earlier version)."""
        rand = rng.random
        keep = 1 + int(rand() * (len(plan) - 1)) if len(plan) > 1 else 1
        shuffle = rand() < 0.03
        if plan[-1][0] <= asof:  # the common case: the whole life lies in the past
            events = [event for _minute, event in plan]
        else:
            events = [event for minute, event in plan if minute <= asof]
        if earlier and len(events) > 1:
            # a prefix; with a correction, long enough to show the event's first content
            events = events[: min(max(keep, 2) if corrected else keep, len(events) - 1)]
            if corrected and len(events) > 1:
                events[1] = dict(events[1], note="转送办理。", at=self.clock.fmt(plan[1][0] - 60))
        updated = plan[len(events) - 1][0]
        for minute, agency in handovers:
            if minute <= updated:
                case["agency"] = agency
        if shuffle:
            rng.shuffle(events)
        case["events"] = events
        if evaluation is not None and evaluation[0] <= (updated if earlier else asof):
            case["evaluation"] = evaluation[1]
            updated = max(updated, evaluation[0])
        else:
            case["evaluation"] = None
        case["updated_at"] = self.clock.fmt(updated)
        return case, updated
