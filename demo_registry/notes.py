"""Staff notes for synthetic events, and the personal data that leaks into some.

The contract warns that notes are typed by people and do contain names, phone
numbers, ID numbers and addresses. The fetcher's scrubber is tested against this
registry, so about 2% of notes carry such data, in the forms staff really write:
a name after 信访人, a mobile number, an 18-digit resident ID with a correct check
digit, an address with a house number, an e-mail address, now and then a landline,
a licence plate or a bank card number (with a correct Luhn digit).
"""

from __future__ import annotations

from collections.abc import Callable

from .codes import COUNTY_NAMES

Rand = Callable[[], float]

PERSONAL_SHARE = 0.02

NOTES: dict[str, list[str]] = {
    "forwarded": [
        "按照属地管理、分级负责原则转送办理。",
        "请于15日内书面告知信访人是否受理。",
        "已电话告知信访人转送去向。",
        "事项涉及多个部门，交由主管部门牵头办理。",
        "经初步核实属该部门职责范围，予以交办。",
    ],
    "receipt_notified": [
        "已书面告知信访人受理情况及办理程序。",
        "已通过网上信访系统推送告知书。",
        "信访人未留有效通信地址，已电话告知。",
    ],
    "accepted": ["经审查符合受理条件，予以受理。", "已登记受理，指定专人办理。"],
    "extended": [
        "涉及多家单位，需协调核实，延长办理期限。",
        "需现场勘测并委托第三方评估，经批准延期办理。",
        "案情复杂，需调取历史档案，已书面告知信访人延期理由。",
    ],
    "review_requested": ["信访人对处理意见不服，申请复查。", "信访人提交复查申请及补充材料。"],
    "review_decided": [
        "经复查，原处理意见认定事实清楚、依据充分，予以维持。",
        "经复查，部分支持信访人请求，责成原办理机关重新处理。",
    ],
    "rereview_requested": ["信访人对复查意见不服，申请复核。"],
    "hearing_held": [
        "组织公开听证，邀请人大代表、律师和群众代表参加。",
        "召开听证会，听取信访人及相关单位意见。",
    ],
    "rereview_decided": [
        "经复核，维持复查意见，信访事项终结。",
        "经复核，撤销复查意见，重新作出处理。",
    ],
    "closed": ["已办结归档。", "处理意见已送达，办结归档。"],
    "withdrawn": ["信访人书面申请撤回信访事项。", "经协商问题已解决，信访人主动撤回。"],
}

# Replies by category: what a handling opinion typically says about that matter.
REPLIES: dict[str, list[str]] = {
    "land.acquisition": [
        "经核查，征地补偿标准符合区片综合地价，已书面答复。",
        "已会同街道复核补偿清单，补发青苗补偿费。",
    ],
    "land.demolition": [
        "已组织现场核查，依据补偿方案作出书面答复。",
        "经评估复核，房屋面积认定无误，维持原补偿决定。",
    ],
    "housing.property": [
        "已约谈物业服务企业，督促限期整改电梯故障。",
        "已指导业主委员会依法召开业主大会。",
    ],
    "housing.security": ["经审核，信访人符合公租房保障条件，已纳入轮候。"],
    "urban.management": ["已责令违建当事人限期自行拆除。", "已对占道经营行为开展专项整治。"],
    "environment.pollution": [
        "经现场监测，厂界噪声超标，已立案查处。",
        "已责令企业停产整改，安装废气处理设施。",
    ],
    "labour.wages": ["已督促用人单位足额支付拖欠工资。", "经调查，施工企业已结清农民工工资。"],
    "labour.relations": ["已告知信访人可向劳动人事争议仲裁委员会申请仲裁。"],
    "social.insurance": [
        "经核实，社保缴费年限计算无误，已解释说明。",
        "已为信访人补缴社会保险费。",
    ],
    "health.medical": ["已组织医疗纠纷人民调解，告知可申请医疗损害鉴定。"],
    "education.schooling": ["已按学区划分政策作出解释说明。", "已协调安排随迁子女就近入学。"],
    "transport.traffic": ["已协调公交公司调整线路班次。", "已在路口增设信号灯和减速带。"],
    "agriculture.rural": ["已督促村委会公开土地流转收益分配情况。"],
    "public.security": ["已转辖区派出所调查处理，依法作出处理决定。"],
    "law.litigation": ["该事项已进入诉讼程序，告知信访人依法通过诉讼途径解决。"],
    "law.enforcement": ["已责成执法部门说明情况，经审查执法程序合法。"],
    "enterprise.restructuring": ["已依据企业改制政策对职工安置问题作出答复。"],
    "enterprise.bankruptcy": ["已协调破产管理人依法优先清偿职工债权。"],
    "market.regulation": ["已立案调查，责令商家退还货款并赔偿。"],
}

NOT_ACCEPTED = [
    "该事项已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决，告知信访人向有关机关提出。",
    "信访事项正在办理期间，信访人就同一事项再次提出，不予受理。",
    "该事项已经复核终结，信访人以同一事实和理由提出，不再受理。",
    "不属于本机关法定职权范围，已告知信访人向有权处理的机关提出。",
]
LAW_CLOSED = "已导入诉讼程序，依法终结。"
LAW_NOT_ACCEPTED = "属于涉法涉诉事项，已导入诉讼程序，告知信访人依法通过诉讼途径解决。"

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
_GIVEN = [
    "建国",
    "秀英",
    "桂英",
    "志强",
    "丽华",
    "海燕",
    "伟",
    "芳",
    "敏",
    "静",
    "军",
    "磊",
    "国强",
    "小红",
    "晓东",
    "文斌",
    "雪梅",
    "春燕",
    "德明",
    "金凤",
    "永康",
    "建平",
]
_MAILBOXES = ["zhangwei", "wangfang", "lixiuying", "liuyang", "chenjing", "yangmin", "huanglei"]
_STREETS = ["中山路", "解放路", "人民路", "文化路", "建设路", "天童南路", "学院路", "望江路"]
_TOPICS = ["拖欠工资问题", "房屋征收补偿问题", "小区噪声扰民问题", "社保缴费问题", "违章建筑问题"]
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _pick(rand: Rand, options: list[str]) -> str:
    return options[int(rand() * len(options))]


def _digits(rand: Rand, n: int) -> str:
    return "".join(str(int(rand() * 10)) for _ in range(n))


def id_number(rand: Rand, region: str) -> str:
    """An 18-digit resident ID (GB 11643) with a correct ISO 7064 MOD 11-2 check digit."""
    year, month, day = 1950 + int(rand() * 50), 1 + int(rand() * 12), 1 + int(rand() * 28)
    body = f"{region}{year:04d}{month:02d}{day:02d}{_digits(rand, 3)}"
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def bank_card(rand: Rand) -> str:
    """A 19-digit card number starting 6217 (a common debit BIN) with a valid Luhn digit."""
    body = "6217" + _digits(rand, 14)
    total = 0
    for i, d in enumerate(reversed(body)):
        v = int(d) * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return body + str((10 - total % 10) % 10)


def personal_note(rand: Rand, region: str) -> str:
    """A note that carries personal data of the petitioner."""
    name = _pick(rand, list(_SURNAMES)) + _pick(rand, _GIVEN)
    mobile = "1" + _pick(rand, list("35789")) + _digits(rand, 9)
    county = COUNTY_NAMES.get(region, "")
    address = (
        f"{county}{_pick(rand, _STREETS)}{1 + int(rand() * 900)}号{1 + int(rand() * 20)}幢"
        f"{1 + int(rand() * 18)}0{1 + int(rand() * 4)}室"
    )
    kind = int(rand() * 9)
    if kind == 0:
        return f"信访人{name}（电话{mobile}）反映{_pick(rand, _TOPICS)}。"
    if kind == 1:
        return f"信访人{name}，身份证号{id_number(rand, region)}，要求尽快处理。"
    if kind == 2:
        return f"已按信访人提供的地址{address}邮寄告知书。"
    if kind == 3:
        box = _pick(rand, _MAILBOXES) + _digits(rand, 4)
        return (
            f"信访人要求通过电子邮箱{box}@{_pick(rand, ['163.com', 'qq.com', '126.com'])}接收答复。"
        )
    if kind == 4:
        return f"已电话联系信访人{name}，手机{mobile[:3]} {mobile[3:7]} {mobile[7:]}。"
    if kind == 5:
        return f"信访人{name}现住{address}，反映{_pick(rand, _TOPICS)}。"
    if kind == 6:
        return f"联系人{name}，固定电话0574-8{_digits(rand, 7)}。"
    if kind == 7:
        return f"涉事车辆浙{_pick(rand, list('ABC'))}·{_digits(rand, 5)}，已转交警部门核查。"
    return f"信访人要求将补发工资打入其银行卡{bank_card(rand)}。"


def note_for(rand: Rand, event_type: str, category: str, region: str) -> str:
    """A staff note for an event; about 2% of them carry personal data."""
    if rand() < PERSONAL_SHARE:
        return personal_note(rand, region)
    if event_type == "replied":
        return _pick(rand, REPLIES.get(category) or ["已书面答复信访人。"])
    return _pick(rand, NOTES.get(event_type) or ["已处理。"])
