"""The words the lookup page shows for statuses, events, steps and next actions.

Status, event and outcome names are the stage model's (:mod:`sunshine.cases.stages`);
the pending steps and the petitioner's next actions are worded here, as the
page says them, in both languages.
"""

from __future__ import annotations

from sunshine.cases.stages import COMPLETED, EVENT_LABELS, OUTCOME_LABELS, STATUS_INFO

STEP_LABELS = {
    "forward": {
        "zh": "信访部门登记转送",
        "en": "registration and forwarding by the petition office",
    },
    "notify": {"zh": "有关机关书面告知受理情况", "en": "written notice of receipt by the agency"},
    "reply": {"zh": "出具信访处理意见书", "en": "the written handling opinion"},
    "review_decision": {"zh": "出具复查意见", "en": "the review opinion"},
    "rereview_decision": {"zh": "出具复核意见", "en": "the re-review opinion"},
}

ACTION_LABELS = {
    "wait": {"zh": "等待有关机关办理。", "en": "Wait for the agency to act."},
    "request_review": {
        "zh": "如对处理意见不服，您可以向原办理机关的上一级机关请求复查，截止日期：",
        "en": "If you disagree with the reply, you may ask the agency one level up for a "
        "review, by",
    },
    "request_rereview": {
        "zh": "如对复查意见不服，您可以向复查机关的上一级机关请求复核，截止日期：",
        "en": "If you disagree with the review opinion, you may ask the agency one level up "
        "for a re-review, by",
    },
}


def tracker_labels(lang: str) -> dict[str, str]:
    """Every key the lookup script looks up, in one language (``zh`` or ``en``)."""
    key = "en" if lang == "en" else "zh"
    labels: dict[str, str] = {}
    for status, info in STATUS_INFO.items():
        labels[f"status.{status}"] = info["label"][key]
        labels[f"icon.{status}"] = info["icon"]
    for prefix, table in (
        ("event", EVENT_LABELS),
        ("outcome", OUTCOME_LABELS),
        ("step", STEP_LABELS),
        ("action", ACTION_LABELS),
    ):
        for name, label in table.items():
            labels[f"{prefix}.{name}"] = label[key]  # type: ignore[literal-required]
    return labels


TRACKER_COMPLETED = sorted(COMPLETED)
