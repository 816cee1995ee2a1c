"""What the content checks tell staff, in the writer's language: one catalogue.

Every message about a piece (``invoke check-content``, and the build, which
runs the same checks) is looked up here by key and written in the piece's
language: Chinese for a ``.zh.md`` piece, as the authoring guide is written,
English for an ``.en.md`` one (:func:`say`). A file whose language cannot be
told is spoken to in Chinese, the site's first language.

Templates are ``str.format`` strings; the values put in them (file names,
fields, what was typed) are quoted as written. Lists are joined the language's
way (:func:`listing`). The English templates are the project's own wording;
the Chinese ones follow the authoring guide's terms (字段, 网址名, 类别, 草稿).
"""

from __future__ import annotations

import re

__all__ = ["MESSAGES", "describe_field", "listing", "refusal_reason", "removed_what", "say"]

MESSAGES: dict[str, dict[str, str]] = {
    # Where a file is, and whether it can be read.
    "not-in-folder": {
        "en": "not in a folder the site reads ({known})",
        "zh": "不在网站读取的文件夹里（{known}）",
    },
    "not-utf8": {"en": "not UTF-8 text ({reason})", "zh": "不是UTF-8编码的文本（{reason}）"},
    # Front matter.
    "stray": {
        "en": "'{text}' is not 'Key: value': the front matter ends here "
        "(leave one empty line between the front matter and the text)",
        "zh": "“{text}”不是“字段: 值”的写法，开头的字段到这里就结束了（字段和正文之间空一行）",
    },
    "unknown-field": {"en": "unknown field '{field}:'", "zh": "没有“{field}:”这个字段"},
    "did-you-mean-field": {"en": "; did you mean '{close}:'?", "zh": "，是不是“{close}:”？"},
    "field-missing": {
        "en": "'{field}:' is missing ({description})",
        "zh": "缺少“{field}:”字段（{description}）",
    },
    "field-empty": {
        "en": "'{field}:' is empty ({description})",
        "zh": "“{field}:”字段是空的（{description}）",
    },
    "lang-unknown": {
        "en": "language '{lang}' is not one of {known}",
        "zh": "语言“{lang}”不是{known}之一",
    },
    "lang-file-name": {
        "en": "the file name says '{named}' but 'Lang:' says '{lang}'",
        "zh": "文件名表明语言是“{named}”，但“Lang:”写的是“{lang}”",
    },
    "slug-form": {
        "en": "slug '{slug}': lower-case letters, digits and hyphens only",
        "zh": "网址名“{slug}”只能用小写字母、数字和连字符",
    },
    "status-unknown": {
        "en": "status '{status}' is not one of {known}",
        "zh": "状态“{status}”不是{known}之一",
    },
    "not-a-date": {
        "en": "'{value}' is not a date (write 2026-11-22 or 2026-11-22 09:00)",
        "zh": "“{value}”不是日期（写作2026-11-22或2026-11-22 09:00）",
    },
    "no-category-here": {"en": "{folder} have no category", "zh": "{folder}不分类别"},
    "category-other-language": {
        "en": "category '{name}' is its name in another language: in this file write '{own}'",
        "zh": "类别“{name}”是另一种语言的名称：这个文件里应写“{own}”",
    },
    "category-unknown": {
        "en": "category '{name}' is not one of the site's: {known}",
        "zh": "类别“{name}”不是本站的类别：{known}",
    },
    "placeholder": {
        "en": "'{placeholder}' is what `invoke new` wrote for you to replace; "
        "replace it, or keep 'Status: draft'",
        "zh": "“{placeholder}”是`invoke new`留给你替换的文字：请替换，或者保留“Status: draft”",
    },
    # Images.
    "image-no-alt": {
        "en": "image '{name}' has no alt text: say what it shows, as in ![每月收件数柱状图]({src})",
        "zh": "图片“{name}”没有替代文字：写明图片显示什么，例如 ![每月收件数柱状图]({src})",
    },
    "image-elsewhere": {
        "en": "image '{src}' is on another site: put it in content/{folder}/ "
        "(no page loads anything from elsewhere)",
        "zh": "图片“{src}”在别的网站上：请放进 content/{folder}/（网页不从别处加载任何东西）",
    },
    "image-write-as": {
        "en": "image '{src}': write it as {{static}}/{folder}/{name}",
        "zh": "图片“{src}”：请写作 {{static}}/{folder}/{name}",
    },
    "image-missing": {
        "en": "image '{name}' is not in content/{folder}/",
        "zh": "图片“{name}”不在 content/{folder}/ 里",
    },
    "image-refused": {
        "en": "image '{name}' is not published: {reason}",
        "zh": "图片“{name}”不会发布：{reason}",
    },
    # What publishing leaves out (notices, not problems).
    "removed": {"en": "HTML removed on publishing: {what}", "zh": "发布时删去的HTML：{what}"},
    # Citations and live figures.
    "cite-no-regulation": {
        "en": "{cite}: no regulation '{reg}' (in the store: {known}; run `invoke fetch`?)",
        "zh": "{cite}：没有法规“{reg}”（本地数据里有：{known}；要先运行`invoke fetch`吗？）",
    },
    "cite-unparsed": {
        "en": "{cite}: regulation '{reg}' could not be parsed: {error}",
        "zh": "{cite}：法规“{reg}”的文本无法解析：{error}",
    },
    "cite-no-article": {
        "en": "{cite}: '{reg}' has no Article {article} (it has {count})",
        "zh": "{cite}：“{reg}”没有第{article}条（共{count}条）",
    },
    "cite-no-paragraph": {
        "en": "{cite}: Article {article} of '{reg}' has no paragraph {paragraph} (it has {count})",
        "zh": "{cite}：“{reg}”第{article}条没有第{paragraph}款（共{count}款）",
    },
    "cite-no-item": {
        "en": "{cite}: Article {article} paragraph {paragraph} of '{reg}' has no item {item} "
        "(it has {count})",
        "zh": "{cite}：“{reg}”第{article}条第{paragraph}款没有第{item}项（共{count}项）",
    },
    "no-figure": {
        "en": "{cite}: no live figure '{name}'",
        "zh": "{cite}：没有名为“{name}”的实时数字",
    },
    "did-you-mean-figure": {
        "en": "; did you mean [[fig:{close}]]?",
        "zh": "，是不是[[fig:{close}]]？",
    },
    # Slugs and translations.
    "slug-taken": {
        "en": "slug '{slug}' is already used in '{lang}' by {other}",
        "zh": "网址名“{slug}”在“{lang}”中已被 {other} 使用",
    },
    "pair-folder": {
        "en": "slug '{slug}' pairs it with {other}, which is in another folder",
        "zh": "网址名“{slug}”把它和 {other} 配成一对，但那个文件在另一个文件夹里",
    },
    "pair-category": {
        "en": "category differs from its translation's ({other}: {category})",
        "zh": "类别与译文的不同（{other}：{category}）",
    },
    "pair-date": {
        "en": "date {date} differs from its translation's ({other}: {theirs}); "
        "both languages appear on one date",
        "zh": "日期{date}与译文的不同（{other}：{theirs}）；两种语言在同一天发布",
    },
    "pair-slugs": {
        "en": "the files {files} are named as one piece but their slugs differ ({slugs}): "
        "translations pair by slug",
        "zh": "文件{files}的文件名表明是同一篇，但网址名不同（{slugs}）：译文按网址名配对",
    },
    # Links.
    "link-no-file": {
        "en": "broken link '{href}': no file '{target}' for {{{kind}}}",
        "zh": "链接“{href}”无效：{{{kind}}}找不到文件“{target}”",
    },
    "link-broken": {"en": "broken link '{href}': {reason}", "zh": "链接“{href}”无效：{reason}"},
    "no-guide": {"en": "no guide '{slug}'", "zh": "没有办事指南“{slug}”"},
    "no-explainer": {"en": "no explainer '{slug}'", "zh": "没有政策解读“{slug}”"},
    "no-image": {
        "en": "'{name}' is not in content/{folder}/",
        "zh": "“{name}”不在 content/{folder}/ 里",
    },
    "no-regulation": {"en": "no regulation '{reg}'", "zh": "没有法规“{reg}”"},
    "no-anchor": {
        "en": "no '{fragment}' in regulation '{reg}'",
        "zh": "法规“{reg}”里没有“{fragment}”",
    },
    "no-page": {"en": "no page of this site has this address", "zh": "本站没有这个网址的网页"},
    # What staff are told besides the problems.
    "untranslated": {
        "en": "untranslated: {path} has no {langs} version",
        "zh": "未翻译：{path} 没有{langs}版",
    },
    "draft": {"en": "draft: {path}", "zh": "草稿：{path}"},
    "scheduled": {
        "en": "scheduled: {path} appears from {when}",
        "zh": "定时发布：{path} 从{when}起发布",
    },
}
"""Message templates by key, then language (``en``, ``zh``)."""

FIELD_DESCRIPTIONS: dict[str, str] = {
    "title": "标题，用文件的语言",
    "slug": "网址名，两种语言共用：小写字母、数字、连字符",
    "lang": "zh或en",
    "date": "发布日期，2026-11-22或2026-11-22 09:00（北京时间）",
    "modified": "最后一次实质修改的日期",
    "category": "本站的类别之一，用文件的语言写",
    "tags": "标签，用逗号分隔，用文件的语言写",
    "summary": "一句话，用于列表、搜索结果和订阅",
    "status": "draft（草稿，不发布）、published或hidden",
    "template": "默认以外的页面模板（仅限固定页面）",
    "save_as": "默认以外的文件名（仅限固定页面）",
}
"""The Chinese of :data:`sunshine.content.content_rules.FIELDS`' descriptions."""

LANGUAGE_NAMES = {"zh": {"zh": "中文", "en": "英文"}, "en": {"zh": "zh", "en": "en"}}
"""A language as named in a message in each language (``untranslated``)."""

_WHAT_ZH = [
    (re.compile(r"^<(?P<tag>[\w-]+)> element$"), "<{tag}>元素"),
    (re.compile(r"^(?P<name>[\w:-]+) attribute on <(?P<tag>[\w-]+)>$"), "<{tag}>的{name}属性"),
    (
        re.compile(r"^id (?P<value>.+) on <(?P<tag>[\w-]+)> \(the page's own\)$"),
        "<{tag}>的id {value}（网页自用）",
    ),
    (re.compile(r"^(?P<scheme>[\w+.-]+): link$"), "{scheme}:链接"),
    (re.compile(r"^(?P<scheme>[\w+.-]+): image$"), "{scheme}:图片"),
    (re.compile(r"^link (?P<value>.+)$"), "链接{value}"),
    (re.compile(r"^image (?P<value>.+)$"), "图片{value}"),
    (re.compile(r"^a table column's alignment"), "表格列的对齐方式（| :--- |，即style属性）"),
]


_REFUSAL_ZH = [
    (re.compile(r"^a hidden file"), "隐藏文件（.DS_Store之类是系统的文件，不属于网站）"),
    (re.compile(r"^SVG images can carry script"), "SVG图片可能带有脚本：请另存为PNG"),
    (
        re.compile(r"^'(?P<ext>\.[^']*)' files are not images"),
        "“{ext}”文件不是图片（PNG、JPEG、GIF或WebP）",
    ),
    (
        re.compile(r"^files without an extension"),
        "没有扩展名的文件不是图片（PNG、JPEG、GIF或WebP）",
    ),
    (
        re.compile(r"^named (?P<ext>\.\S+) but not an? (?P<kind>\S+) image$"),
        "名为{ext}，但不是{kind}图片",
    ),
    (
        re.compile(r"^named (?P<ext>\.\S+) but an? (?P<kind>\S+) image: name it (?P<right>\.\S+)$"),
        "名为{ext}，但是{kind}图片：请改名为{right}",
    ),
    (
        re.compile(r"^named (?P<ext>\.\S+) but an? (?P<kind>\S+) image: not an image type"),
        "名为{ext}，但是{kind}图片：不是网站发布的图片类型",
    ),
]


def _translated(text: str, table: list[tuple[re.Pattern[str], str]]) -> str:
    for pattern, template in table:
        if match := pattern.match(text):
            return template.format(**match.groupdict())
    return text  # a wording added later without its Chinese: told as it is


def refusal_reason(lang: str, reason: str) -> str:
    """Why a file is not published (``content_rules.image_refusal``), in ``lang``."""
    return reason if lang == "en" else _translated(reason, _REFUSAL_ZH)


def say(lang: str, key: str, /, **values: object) -> str:
    """The message ``key`` in ``lang`` (Chinese unless ``en``), with ``values`` put in."""
    return MESSAGES[key]["en" if lang == "en" else "zh"].format(**values)


def listing(lang: str, items: list[str] | tuple[str, ...]) -> str:
    """``zh, en`` in English, ``zh、en`` in Chinese."""
    return ("、" if lang != "en" else ", ").join(items)


def describe_field(lang: str, key: str, english: str) -> str:
    """A front matter field's description (``english`` is content_rules' own)."""
    return english if lang == "en" else FIELD_DESCRIPTIONS.get(key, english)


def removed_what(lang: str, what: str) -> str:
    """What the sanitiser removed (``<script> element``), in ``lang``."""
    return what if lang == "en" else _translated(what, _WHAT_ZH)
