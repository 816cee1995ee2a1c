"""The words the lookup page shows for statuses, events, steps and next actions.

Status, event and outcome names are the stage model's (:mod:`sunshine.cases.stages`);
the pending steps and the petitioner's next actions are worded here, as the
page says them, in both languages.
"""

from __future__ import annotations

from sunshine.cases.routes import ACTIONS, GUIDES, Action
from sunshine.cases.stages import COMPLETED, EVENT_LABELS, OUTCOME_LABELS, STATUS_INFO
from sunshine.regulations.chinese_numerals import render_chinese_numeral

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
    "wait_forward": {
        "zh": "等待信访部门登记并转送、交办。",
        "en": "Wait for the petition office to register and forward the matter.",
    },
    "wait_notify": {
        "zh": "等待有关机关书面告知是否受理以及处理途径和程序。",
        "en": "Wait for the agency's written notice of whether it accepts the matter and how "
        "it will be handled.",
    },
    "wait_reply": {
        "zh": "等待有关机关办结并出具信访处理意见书（自受理之日起60日，经批准可延长不超过30日）。",
        "en": "Wait for the agency's written handling opinion (60 days from acceptance, "
        "extendable by at most 30).",
    },
    "wait_review_decision": {
        "zh": "等待复查机关提出复查意见并书面答复。",
        "en": "Wait for the review opinion in writing.",
    },
    "wait_rereview_decision": {
        "zh": "等待复核机关提出复核意见。",
        "en": "Wait for the re-review opinion.",
    },
    "wait": {
        "zh": "有关机关已告知受理情况，等待办理。",
        "en": "The agency has sent its notice of receipt; wait for it to handle the matter.",
    },
    "overdue_forward": {
        "zh": "信访部门未在期限内登记转送。您可以向该信访部门的上一级机关反映，"
        "由其责令改正。期限届满日：",
        "en": "The petition office has not registered and forwarded the matter in time. You "
        "may complain to the authority one level up, which must order it to correct this. "
        "The time limit ended on",
    },
    "overdue_notify": {
        "zh": "有关机关未在期限内书面告知是否受理。您可以请求信访部门督办，"
        "或者向该机关的上一级机关反映，由其责令改正。期限届满日：",
        "en": "The agency has not told you in writing in time whether it accepts the matter. "
        "You may ask the petition office to press it to act (督办), or complain to the "
        "agency one level up, which must order it to correct this. The time limit ended on",
    },
    "overdue_reply": {
        "zh": "有关机关未在期限内办结。您可以请求信访部门督办，或者向该机关的上一级机关反映，"
        "由其责令改正。期限届满日：",
        "en": "The agency has not concluded the matter in time. You may ask the petition "
        "office to press it to act (督办), or complain to the agency one level up, which "
        "must order it to correct this. The time limit ended on",
    },
    "overdue_review_decision": {
        "zh": "复查机关未在期限内提出复查意见。您可以请求信访部门督办，或者向其上一级机关反映，"
        "由其责令改正。期限届满日：",
        "en": "The review opinion has not been given in time. You may ask the petition "
        "office to press the reviewing agency to act (督办), or complain one level up, "
        "which must order it to correct this. The time limit ended on",
    },
    "overdue_rereview_decision": {
        "zh": "复核机关未在期限内提出复核意见。您可以请求信访部门督办，或者向其上一级机关反映，"
        "由其责令改正。期限届满日：",
        "en": "The re-review opinion has not been given in time. You may ask the petition "
        "office to press the re-reviewing agency to act (督办), or complain one level up, "
        "which must order it to correct this. The time limit ended on",
    },
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
    "final": {
        "zh": "复核意见已出具。仍以同一事实和理由提出投诉请求的，各级机关不再受理；"
        "有新的事实和理由的，可以另行提出。",
        "en": "The re-review opinion has been given. A complaint on the same facts and "
        "reasons will not be accepted again by any office or agency; new facts or reasons "
        "can be raised as a new matter.",
    },
    "route_suggestion": {
        "zh": "建议意见类事项由有权处理的机关研究论证，采纳或者部分采纳的予以回复。"
        "条例没有规定办理期限，也不适用复查、复核。",
        "en": "A suggestion is studied by the agency with power over it, and answered if "
        "adopted in whole or in part. The Regulations set no handling limit for it, and "
        "review and re-review do not apply.",
    },
    "route_report": {
        "zh": "检举控告类事项由纪检监察机关或者有权处理的机关依规依纪依法接收、受理、办理和反馈，"
        "不适用本条例的办理期限和复查、复核。",
        "en": "A report (检举控告) is received, handled and answered by the disciplinary and "
        "supervisory organs or the agency with power over it, under their own rules; the "
        "handling limit, review and re-review of these Regulations do not apply.",
    },
    "route_consultation": {
        "zh": "咨询事项予以解答。条例没有规定办理期限，也不适用复查、复核。",
        "en": "A consultation is answered. The Regulations set no handling limit for it, and "
        "review and re-review do not apply.",
    },
    "route_law": {
        "zh": "涉法涉诉事项按照诉讼、仲裁、行政复议等法律程序处理，适用相应程序的期限和救济途径，"
        "不适用信访复查、复核。",
        "en": "A law-related matter is handled through litigation, arbitration, "
        "administrative review or another legal procedure, with that procedure's time "
        "limits and remedies; petition review and re-review do not apply.",
    },
    "closed": {
        "zh": "该事项已办结。如有新的情况或者新的理由，可以通过公布的信访渠道另行提出。",
        "en": "The matter is closed. If you have new facts or reasons, you can raise them "
        "through the published petition channels.",
    },
    "withdrawn": {
        "zh": "该事项已撤回。如需再次反映，可以通过公布的信访渠道重新提出。",
        "en": "The matter was withdrawn. You can raise it again through the published "
        "petition channels.",
    },
    "not_accepted": {
        "zh": "该事项不予受理，理由见下方记录。属于其他机关或者法定程序处理的，请按告知向有权处理的"
        "机关提出；认为属于该机关职权范围而不予受理的，可以向其上一级机关反映。",
        "en": "The matter was not accepted; the reason is in the record below. If it "
        "belongs to another body or a legal procedure, raise it there as you were told; if "
        "you believe it is within the agency's powers, you may complain to the agency one "
        "level up.",
    },
}
"""Per next step (:data:`sunshine.cases.routes.ACTIONS`): what the page says.

A label that ends with "by", "截止日期：" or "期限届满日：" is followed by the date."""

NOT_FOUND_NEXT = {
    "zh": "如果收到查询码已有一段时间，或者认为事项没有登记，可以向受理的信访部门询问；"
    "信访部门未按规定登记的，可以向其上一级机关反映。",
    "en": "If you received the code some time ago, or believe the matter was never "
    "registered, ask the petition office that received it; if it did not register the "
    "matter as required, you may complain to the authority one level up.",
}
"""After "not found": what the petitioner can do (Art. 22, 43), with the guide link."""
NOT_FOUND_ACTION = Action(("22", "43"), "deadline-passed")


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
    labels["action.not_found"] = NOT_FOUND_NEXT[key]
    cited: set[str] = set()
    for action, (articles, _) in {**ACTIONS, "not_found": NOT_FOUND_ACTION}.items():
        labels[f"articles.{action}"] = " ".join(articles)
        cited.update(articles)
    if key == "zh":
        # Chinese pages number articles in Chinese numerals (第三十四条), as the
        # regulation pages do; the script takes them from here rather than
        # carrying a second numeral renderer. The steps' own articles (22, 23,
        # 34, 35, 36) are among the ones the next steps cite.
        for number in sorted(cited, key=int):
            labels[f"numeral.{number}"] = render_chinese_numeral(int(number))
    return labels


def tracker_guides() -> dict[str, str]:
    """Per next step, the guide section that explains it (a path under the site's root)."""
    table = {**ACTIONS, "not_found": NOT_FOUND_ACTION}
    return {action: GUIDES[guide] for action, (_, guide) in table.items()}


TRACKER_COMPLETED = sorted(COMPLETED)
