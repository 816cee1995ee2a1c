"""Scrubbing personal data from case notes: what must go, and what must stay untouched."""

from __future__ import annotations

import time

import pytest

from fetch.scrub import KINDS, MARKER, RedactionCounter, ScrubResult, scrub

# (note, personal data that must disappear, expected counts)
PERSONAL: list[tuple[str, list[str], dict[str, int]]] = [
    # id_number
    ("信访人身份证号330203198506123415，要求核实。", ["330203198506123415"], {"id_number": 1}),
    ("身份证：11010519491231002X，已复印存档。", ["11010519491231002X"], {"id_number": 1}),
    ("证件号11010519491231002x有误，请更正。", ["11010519491231002x"], {"id_number": 1}),
    ("来访登记证件号码330212199003070025。", ["330212199003070025"], {"id_number": 1}),
    ("持老式身份证330203850612341办理。", ["330203850612341"], {"id_number": 1}),
    (
        "身份证号４４０３０４１９７８１１２８４５１７。",
        ["４４０３０４１９７８１１２８４５１７"],
        {"id_number": 1},
    ),
    # mobile
    ("联系电话13912345678，工作日可联系。", ["13912345678"], {"mobile": 1}),
    ("手机：+86 13812345678", ["13812345678", "+86"], {"mobile": 1}),
    ("电话+86-13712345678，白天可联系。", ["13712345678"], {"mobile": 1}),
    ("留有号码(+86)15912345678。", ["15912345678", "+86"], {"mobile": 1}),
    ("来电显示8618612345678。", ["8618612345678", "18612345678"], {"mobile": 1}),
    ("请拨打139 1234 5678与其联系。", ["139 1234 5678", "5678"], {"mobile": 1}),
    ("回访电话139-1234-5678无人接听。", ["139-1234-5678", "1234"], {"mobile": 1}),
    ("手机号１３９１２３４５６７８。", ["１３９１２３４５６７８"], {"mobile": 1}),
    ("号码（+86）17712345678已核实。", ["17712345678"], {"mobile": 1}),
    # landline
    ("办公电话0571-87654321。", ["87654321"], {"landline": 1}),
    ("座机(0571) 8765 4321，上班时间接听。", ["8765 4321", "0571"], {"landline": 1}),
    ("北京来电010-12345678。", ["12345678"], {"landline": 1}),
    ("家中电话0574 8888 6666。", ["8888 6666", "6666"], {"landline": 1}),
    ("境外来电+86 571 8765 4321。", ["8765 4321", "571"], {"landline": 1}),
    ("单位电话0574-87654321转123。", ["87654321", "转123"], {"landline": 1}),
    ("单位电话0574-87654321-8001。", ["87654321", "8001"], {"landline": 1}),
    ("联系（0574）87654321即可。", ["87654321"], {"landline": 1}),
    # email
    ("邮箱zhangsan@163.com，请书面回复。", ["zhangsan", "163.com"], {"email": 1}),
    ("Email: li.si_2024@gov.nb.cn.", ["li.si_2024", "gov.nb.cn"], {"email": 1}),
    ("请发至13912345678@qq.com。", ["13912345678", "qq.com"], {"email": 1}),
    ("邮箱wang＠example.org已停用。", ["wang", "example"], {"email": 1}),
    # bank_card
    ("银行卡号6228480012345671，请核对。", ["6228480012345671"], {"bank_card": 1}),
    (
        "补偿款打入账号6222 0212 0300 4567 896。",
        ["6222 0212 0300 4567 896", "896"],
        {"bank_card": 1},
    ),
    ("卡号4367-4212-3456-7896已冻结。", ["4367-4212-3456-7896", "7896"], {"bank_card": 1}),
    ("申请人提供6217003840001234566账户。", ["6217003840001234566"], {"bank_card": 1}),
    ("卡号6228 4800 1234 5671 3次未到账。", ["6228 4800 1234 5671"], {"bank_card": 1}),
    # plate
    ("车牌浙B12345长期停放。", ["浙B12345", "B12345"], {"plate": 1}),
    ("涉事车辆浙B·12345。", ["B·12345", "12345"], {"plate": 1}),
    ("新能源车浙A D12345占用车位。", ["A D12345", "D12345"], {"plate": 1}),
    ("车辆浙AD12345违停。", ["AD12345"], {"plate": 1}),
    ("车辆苏E·5N6K8已挪走。", ["5N6K8"], {"plate": 1}),
    # address
    ("信访人家住鄞州区中山东路123号。", ["中山东路", "123号", "鄞州区"], {"address": 1}),
    ("现住宁波市江北区人民路88弄5号302室。", ["人民路", "88弄", "302"], {"address": 1}),
    ("户籍地李家村3组15号。", ["李家村", "15号"], {"address": 1}),
    ("住幸福小区12幢2单元301，噪音扰民。", ["幸福小区", "12幢", "301"], {"address": 1}),
    ("位于阳光花园5栋1单元502室的住户。", ["阳光花园", "502"], {"address": 1}),
    ("门店在世纪大道100号。", ["世纪大道", "100号"], {"address": 1}),
    ("住象山县石浦镇东门村2组8号。", ["石浦镇", "东门村", "8号"], {"address": 1}),
    # name
    ("联系人：李明，已电话告知。", ["李明"], {"name": 1}),
    ("申请人 王芳称补偿不足。", ["王芳"], {"name": 1}),
    ("投诉人欧阳娜娜反映噪音问题。", ["欧阳", "娜娜"], {"name": 1}),
    ("举报人:刘德华要求保密。", ["刘德华"], {"name": 1}),
    ("反映人陈小红多次来访。", ["陈小红"], {"name": 1}),
    ("当事人赵四与对方协商。", ["赵四"], {"name": 1}),
    ("委托代理人诸葛亮到场。", ["诸葛亮"], {"name": 1}),
    ("来访人孙晓东情绪稳定。", ["孙晓东"], {"name": 1}),
    ("户主周杰，家庭成员三人。", ["周杰"], {"name": 1}),
    ("姓名：张三 性别：男", ["张三"], {"name": 1}),
    ("张先生来电反映供暖问题。", ["张先生"], {"name": 1}),
    ("李女士称已多次来访。", ["李女士"], {"name": 1}),
    ("王师傅负责维修。", ["王师傅"], {"name": 1}),
    ("刘老师陪同来访。", ["刘老师"], {"name": 1}),
    ("赵同志已到场。", ["赵同志"], {"name": 1}),
    ("张某某等三人集体来访。", ["张某某"], {"name": 1}),
    ("经与张建国先生沟通，达成一致。", ["张建国"], {"name": 1}),
    ("信访人：向明反映情况。", ["向明"], {"name": 1}),
    # several kinds in one note
    (
        "信访人张建国，身份证330203198506123415，住宁波市江北区人民路88弄5号302室，"
        "电话0574-87654321，车牌浙B12345。",
        ["张建国", "330203198506123415", "人民路", "87654321", "B12345"],
        {"name": 1, "id_number": 1, "address": 1, "landline": 1, "plate": 1},
    ),
    (
        "联系人王芳13912345678，备用13812345678。",
        ["王芳", "13912345678", "13812345678"],
        {"name": 1, "mobile": 2},
    ),
]

# Notes with nothing personal in them: must come back byte-for-byte.
ORDINARY = [
    "经审核，信访人符合租房保障条件，已纳入轮候。",
    "申请人尚未提交补充材料，已电话告知。",
    "2024年3月5日信访人来访，反映补偿款12万元未到位。",
    "依据《信访工作条例》第三十四条，应在60日内作出答复。",
    "文号甬政发〔2024〕12号已印发。",
    "编号123456789012345678的材料已归档。",
    "满意率达到98.5%，同比上升3%。",
    "约定于10:30在接待室面谈。",
    "鄞州区信访局已受理。",
    "宁波市人民政府办公厅转办。",
    "信访人对处理意见不服，申请复查。",
    "工作人员已在小区张贴公告。",
    "信访人称曾在王府井附近工作。",
    "2024-03-05受理，2024-04-05办结。",
    "12345热线转办件，请于15日内答复。",
    "信访人于2024年3月5日来访。",
    "信访人向区信访局反映情况。",
    "来访人数共计35人次。",
    "申请人民法院强制执行。",
    "感谢老师和同志们的支持。",
    "该村3组村民反映道路问题。",
    "全村共有120户，涉及土地80亩。",
    "涉及金额3500元，分3期支付。",
    "当事人双方达成调解协议。",
    "联系人员已到场。",
    "补偿标准为每平方米8000元。",
    "案号（2024）浙0212民初1234号。",
    "投诉人认为处理不当。",
    "举报人要求保密。",
    "代理人费用由申请人承担。",
    "原先生产线已关闭。",
    "各位同志、各位老师：会议定于14:00—16:00召开。",
    "沪A股上涨2%。",
    "地铁3号线施工影响出行。",
    "信访人户籍地为宁波市。",
    "version 1.2.3 of ISO 9001.",
]


@pytest.mark.parametrize(("note", "secrets", "counts"), PERSONAL)
def test_personal_data_is_hidden(note: str, secrets: list[str], counts: dict[str, int]) -> None:
    result = scrub(note)
    for secret in secrets:
        assert secret not in result.text, f"{secret!r} survived in {result.text!r}"
    assert MARKER in result.text
    assert result.counts == counts


@pytest.mark.parametrize("note", ORDINARY)
def test_ordinary_text_is_unchanged(note: str) -> None:
    result = scrub(note)
    assert result.text == note
    assert result.counts == {}


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("信访人张建国（电话13912345678）反映", "信访人〔已隐去〕（电话〔已隐去〕）反映"),
        ("家住鄞州区中山东路123号，要求赔偿。", "家住〔已隐去〕，要求赔偿。"),
        ("感谢王先生的配合。", "感谢〔已隐去〕的配合。"),
        ("姓名：张三 性别：男", "姓名：〔已隐去〕 性别：男"),
        ("申请人：李明，电话0574-87654321转123。", "申请人：〔已隐去〕，电话〔已隐去〕。"),
        ("电话：１３９１２３４５６７８（手机）", "电话：〔已隐去〕（手机）"),
        ("信访人：向明（无业）", "信访人：〔已隐去〕（无业）"),
        ("我们向王先生说明了政策。", "我们向〔已隐去〕说明了政策。"),
    ],
)
def test_only_the_datum_is_replaced(note: str, expected: str) -> None:
    assert scrub(note).text == expected


@pytest.mark.parametrize(
    "number",
    ["330203198506123412", "330203198506123411"],  # wrong check digit; the second passes Luhn
)
def test_wrong_check_digit_is_not_an_id_number(number: str) -> None:
    result = scrub(f"身份证号{number}有误")
    assert "id_number" not in result.counts


def test_wrong_check_digit_failing_luhn_stays() -> None:
    note = "证件号330203198506123412有误"
    assert scrub(note) == ScrubResult(note, {})


def test_id_with_impossible_birth_date_is_not_redacted() -> None:
    # Right check digit, but born on 30 February.
    base = "33020319850230123"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11]
    assert "id_number" not in scrub(f"身份证{base}{check}").counts


def test_id_number_inside_longer_digit_run_is_not_redacted() -> None:
    note = "流水号93302031985061234150"
    assert "id_number" not in scrub(note).counts


@pytest.mark.parametrize(
    "note",
    [
        "路" * 20000 + "1号",
        "宁波市" * 7000 + "人民路1号",
        "信访人" * 7000 + "1",
        "王" * 20000 + "先生",
        "1 " * 20000,
        "a." * 10000 + "@" + "b-" * 10000,
        "张三反映人民路88号13912345678，" * 2000,
    ],
)
def test_long_adversarial_notes_stay_fast(note: str) -> None:
    # Guards against a pattern change that brings catastrophic backtracking:
    # each of these takes milliseconds; a quadratic pattern would take minutes.
    started = time.perf_counter()
    scrub(note)
    assert time.perf_counter() - started < 1.0


def test_note_without_triggers_is_returned_as_is() -> None:
    note = "已转交属地街道办理，待反馈。"
    result = scrub(note)
    assert result.text is note
    assert result.counts == {}


def test_counter_sums_over_notes() -> None:
    counter = RedactionCounter()
    assert counter.as_dict() == dict.fromkeys(KINDS, 0)
    for note in [
        "信访人张建国（电话13912345678）反映",
        "联系人王芳13912345678，备用13812345678。",
        "依据第三十四条办理。",
    ]:
        counter.add(scrub(note))
    totals = counter.as_dict()
    assert list(totals) == list(KINDS)
    assert totals["name"] == 2
    assert totals["mobile"] == 3
    assert sum(totals.values()) == 5


def test_kinds_are_the_documented_ones() -> None:
    assert set(KINDS) == {
        "id_number",
        "mobile",
        "landline",
        "email",
        "bank_card",
        "plate",
        "address",
        "name",
    }
    assert len(KINDS) == len(set(KINDS))
