"""The demo registry's code lists: categories, channels, regions and agencies.

Regions are real GB/T 2260 codes of Zhejiang (Hangzhou, Ningbo, Wenzhou and
their counties), so that maps and region filters on the site work with data that
looks like the real registry's. Agencies are generated per county from a table of
departments, because every county has the same set of bureaus; their names follow
Zhejiang usage (city districts have 分局 of the city's bureau, counties their own).
The weights below steer the synthetic cases; they are not part of any code list.
"""

from __future__ import annotations

from typing import Any

VERSION = "2025-07"

# (code, zh, en, weight): weight ~ resident population in 10,000s, so that the
# busy districts get more petitions than the mountain counties.
PREFECTURES: dict[str, tuple[str, str]] = {
    "330100": ("杭州市", "Hangzhou"),
    "330200": ("宁波市", "Ningbo"),
    "330300": ("温州市", "Wenzhou"),
}
COUNTIES: list[tuple[str, str, str, int]] = [
    ("330102", "上城区", "Shangcheng District", 133),
    ("330105", "拱墅区", "Gongshu District", 118),
    ("330106", "西湖区", "Xihu District", 115),
    ("330108", "滨江区", "Binjiang District", 50),
    ("330109", "萧山区", "Xiaoshan District", 210),
    ("330110", "余杭区", "Yuhang District", 130),
    ("330111", "富阳区", "Fuyang District", 84),
    ("330112", "临安区", "Lin'an District", 65),
    ("330113", "临平区", "Linping District", 118),
    ("330114", "钱塘区", "Qiantang District", 80),
    ("330122", "桐庐县", "Tonglu County", 45),
    ("330127", "淳安县", "Chun'an County", 33),
    ("330182", "建德市", "Jiande City", 44),
    ("330203", "海曙区", "Haishu District", 104),
    ("330205", "江北区", "Jiangbei District", 50),
    ("330206", "北仑区", "Beilun District", 83),
    ("330211", "镇海区", "Zhenhai District", 53),
    ("330212", "鄞州区", "Yinzhou District", 167),
    ("330213", "奉化区", "Fenghua District", 58),
    ("330225", "象山县", "Xiangshan County", 56),
    ("330226", "宁海县", "Ninghai County", 70),
    ("330281", "余姚市", "Yuyao City", 125),
    ("330282", "慈溪市", "Cixi City", 183),
    ("330302", "鹿城区", "Lucheng District", 128),
    ("330303", "龙湾区", "Longwan District", 75),
    ("330304", "瓯海区", "Ouhai District", 96),
    ("330305", "洞头区", "Dongtou District", 15),
    ("330324", "永嘉县", "Yongjia County", 87),
    ("330326", "平阳县", "Pingyang County", 77),
    ("330327", "苍南县", "Cangnan County", 84),
    ("330328", "文成县", "Wencheng County", 29),
    ("330329", "泰顺县", "Taishun County", 27),
    ("330381", "瑞安市", "Rui'an City", 153),
    ("330382", "乐清市", "Yueqing City", 144),
    ("330383", "龙港市", "Longgang City", 46),
]
COUNTY_NAMES = {code: zh for code, zh, _en, _w in COUNTIES}

# suffix: (county zh, county en, prefecture zh, province zh). "{}" in a county
# name is the city, "<>" the district's short name: districts get 分局 of the city.
DEPARTMENTS: dict[str, tuple[str, str, str, str]] = {
    "XFJ": ("信访局", "Petition Bureau", "信访局", "浙江省信访局"),
    "ZJJ": (
        "住房和城乡建设局",
        "Housing and Urban-Rural Development Bureau",
        "住房和城乡建设局",
        "浙江省住房和城乡建设厅",
    ),
    "RSJ": (
        "人力资源和社会保障局",
        "Human Resources and Social Security Bureau",
        "人力资源和社会保障局",
        "浙江省人力资源和社会保障厅",
    ),
    "HBJ": (
        "{}生态环境局<>分局",
        "Ecology and Environment Branch Bureau",
        "生态环境局",
        "浙江省生态环境厅",
    ),
    "GTJ": (
        "自然资源和规划局",
        "Natural Resources and Planning Bureau",
        "自然资源和规划局",
        "浙江省自然资源厅",
    ),
    "GAJ": ("公安局", "Public Security Bureau", "公安局", "浙江省公安厅"),
    "SFJ": ("司法局", "Justice Bureau", "司法局", "浙江省司法厅"),
    "ZFJ": (
        "综合行政执法局",
        "Comprehensive Administrative Law Enforcement Bureau",
        "综合行政执法局",
        "浙江省综合行政执法指导办公室",
    ),
    "WJJ": ("卫生健康局", "Health Bureau", "卫生健康委员会", "浙江省卫生健康委员会"),
    "JYJ": ("教育局", "Education Bureau", "教育局", "浙江省教育厅"),
    "JTJ": ("交通运输局", "Transport Bureau", "交通运输局", "浙江省交通运输厅"),
    "NYJ": ("农业农村局", "Agriculture and Rural Affairs Bureau", "农业农村局", "浙江省农业农村厅"),
    "SCJ": ("市场监督管理局", "Market Regulation Bureau", "市场监督管理局", "浙江省市场监督管理局"),
    "JXJ": (
        "经济和信息化局",
        "Economy and Information Technology Bureau",
        "经济和信息化局",
        "浙江省经济和信息化厅",
    ),
    "FY": ("人民法院", "People's Court", "中级人民法院", "浙江省高级人民法院"),
}
# City districts whose police and planning bureaus are branches of the city's.
_BRANCH_IN_DISTRICTS = {"GAJ", "GTJ"}

# (code, zh, en, weight, agency suffix). The first nine are the contract's
# example list (examples/codes-categories.json), unchanged.
CATEGORIES: list[tuple[str, str, str, int, str]] = [
    ("land", "国土资源", "Land and resources", 0, ""),
    ("land.acquisition", "征地补偿", "Land acquisition compensation", 9, "GTJ"),
    ("land.demolition", "城建拆迁", "Urban construction and demolition", 10, "ZJJ"),
    ("environment", "环境保护", "Environmental protection", 0, ""),
    ("labour", "劳动和社会保障", "Labour and social security", 0, ""),
    ("labour.wages", "拖欠工资", "Unpaid wages", 10, "RSJ"),
    ("enterprise", "企业", "Enterprises", 0, ""),
    ("enterprise.restructuring", "企业改制", "Enterprise restructuring and bankruptcy", 2, "JXJ"),
    ("law", "涉法涉诉", "Law and litigation related", 0, ""),
    ("environment.pollution", "环境污染", "Environmental pollution", 8, "HBJ"),
    ("labour.relations", "劳动关系", "Labour relations", 3, "RSJ"),
    ("enterprise.bankruptcy", "企业破产", "Enterprise bankruptcy", 1, "JXJ"),
    ("law.litigation", "涉诉信访", "Litigation-related petitions", 5, "FY"),
    ("law.enforcement", "执法监督", "Law enforcement oversight", 2, "SFJ"),
    ("housing", "住房", "Housing", 0, ""),
    ("housing.property", "物业管理", "Property management", 8, "ZJJ"),
    ("housing.security", "住房保障", "Housing security", 2, "ZJJ"),
    ("urban", "城乡建设管理", "Urban and rural management", 0, ""),
    ("urban.management", "城市管理", "Urban management", 11, "ZFJ"),
    ("social", "社会保险与福利", "Social insurance and welfare", 0, ""),
    ("social.insurance", "社会保险", "Social insurance", 7, "RSJ"),
    ("health", "卫生健康", "Health", 0, ""),
    ("health.medical", "医疗卫生", "Medical care", 5, "WJJ"),
    ("education", "教育", "Education", 0, ""),
    ("education.schooling", "入学与教育管理", "Schooling", 4, "JYJ"),
    ("transport", "交通运输", "Transport", 0, ""),
    ("transport.traffic", "交通出行", "Traffic and public transport", 4, "JTJ"),
    ("agriculture", "农业农村", "Agriculture and rural affairs", 0, ""),
    ("agriculture.rural", "农村事务", "Rural affairs", 4, "NYJ"),
    ("public", "公共安全", "Public safety", 0, ""),
    ("public.security", "治安管理", "Public security", 5, "GAJ"),
    ("market", "市场监管", "Market regulation", 0, ""),
    ("market.regulation", "消费维权", "Consumer protection", 4, "SCJ"),
]
LEAF_CATEGORIES = [c for c in CATEGORIES if c[3] > 0]

# Shares of a registry where online petitions lead (as national statistics report).
CHANNELS: list[tuple[str, str, str, int]] = [
    ("online", "网上信访", "Online", 45),
    ("letter", "来信", "Letter", 18),
    ("visit", "来访", "Visit", 15),
    ("phone", "电话", "Phone", 12),
    ("email", "电子邮件", "E-mail", 5),
    ("video", "视频信访", "Video", 4),
    ("fax", "传真", "Fax", 1),
]
KINDS: list[tuple[str, int]] = [
    ("complaint", 70),
    ("report", 12),
    ("suggestion", 10),
    ("consultation", 8),
]


def _short(county: str) -> str:
    """鄞州区 -> 鄞州: the short name used inside branch bureau names."""
    return county[:-1] if len(county) > 2 else county


def agency_name(code: str) -> str:
    """The Chinese name of an agency code such as ``330212-ZJJ``."""
    region, suffix = code.split("-", 1)
    county_zh, _en, city_zh, province_zh = DEPARTMENTS[suffix]
    if region == "330000":
        return province_zh
    if region in PREFECTURES:
        return PREFECTURES[region][0] + city_zh
    county = COUNTY_NAMES[region]
    city = PREFECTURES[region[:4] + "00"][0]
    if "{}" in county_zh:
        return county_zh.replace("{}", city).replace("<>", _short(county))
    if county.endswith("区") and suffix in _BRANCH_IN_DISTRICTS:
        return f"{city}{county_zh}{_short(county)}分局"
    return county + county_zh


def _agencies() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for suffix, (_c, en, _p, _v) in DEPARTMENTS.items():
        code = f"330000-{suffix}"
        items.append(
            {
                "code": code,
                "name": {"zh": agency_name(code), "en": f"{en}, Zhejiang"},
                "parent": None,
                "region": "330000",
            }
        )
    for region, (_zh, city_en) in PREFECTURES.items():
        for suffix, (_c, en, _p, _v) in DEPARTMENTS.items():
            code = f"{region}-{suffix}"
            items.append(
                {
                    "code": code,
                    "name": {"zh": agency_name(code), "en": f"{en}, {city_en}"},
                    "parent": f"330000-{suffix}",
                    "region": region,
                }
            )
    for region, _zh, county_en, _w in COUNTIES:
        for suffix, (_c, en, _p, _v) in DEPARTMENTS.items():
            code = f"{region}-{suffix}"
            items.append(
                {
                    "code": code,
                    "name": {"zh": agency_name(code), "en": f"{en}, {county_en}"},
                    "parent": f"{region[:4]}00-{suffix}",
                    "region": region,
                }
            )
    return items


def _regions() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [
        {"code": "330000", "name": {"zh": "浙江省", "en": "Zhejiang"}, "parent": None}
    ]
    for code, (zh, en) in PREFECTURES.items():
        items.append({"code": code, "name": {"zh": zh, "en": en}, "parent": "330000"})
    for code, zh, en, _w in COUNTIES:
        items.append({"code": code, "name": {"zh": zh, "en": en}, "parent": code[:4] + "00"})
    return items


def code_list(name: str) -> dict[str, Any] | None:
    """One code list in the contract's shape, or None for an unknown list name."""
    if name == "categories":
        items = [
            {
                "code": c,
                "name": {"zh": zh, "en": en},
                "parent": c.split(".")[0] if "." in c else None,
            }
            for c, zh, en, _w, _s in CATEGORIES
        ]
    elif name == "channels":
        items = [
            {"code": c, "name": {"zh": zh, "en": en}, "parent": None} for c, zh, en, _w in CHANNELS
        ]
    elif name == "regions":
        items = _regions()
    elif name == "agencies":
        items = _agencies()
    else:
        return None
    return {"list": name, "version": VERSION, "items": items}
