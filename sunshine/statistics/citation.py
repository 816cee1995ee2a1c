"""How to cite a published figure: one text per language, the same for a given build.

The date is the data's snapshot time (``as_of``), never the wall clock, so two
builds of the same data cite alike; it also stands for the access date, since
what a reader saw is the data as of that time. The Chinese form follows
GB/T 7714-2015 for online data sets (``[DS/OL]``, update and access dates in
brackets); the English one follows APA's data-set form.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["Citation", "cite"]


@dataclass(frozen=True, slots=True)
class Citation:
    """The parts of a citation and the texts built from them."""

    title: str
    publisher: str
    date: str
    url: str
    licence: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def cite(
    lang: str, *, title: str, site: str, publisher: str, as_of: str, url: str, licence: str
) -> Citation:
    """The suggested citation of ``title`` (an indicator's or the data set's name).

    ``site`` is the site's name (the author-like part), ``publisher`` the office
    that publishes it, ``as_of`` the data's snapshot (a date or an ISO time: only
    its date is cited), ``lang`` ``en`` or a Chinese code.
    """
    day = as_of[:10]
    if lang.startswith("en"):
        text = (
            f"{publisher}. ({day}). {title} [Data set]. {site}. Retrieved {day}, from {url}."
            f" Licence: {licence}."
        )
    else:
        text = (
            f"{site}. 《{title}》[DS/OL]. {publisher}, {day[:4]}. ({day})[{day}]. {url}."
            f" 许可协议：{licence}。访问日期：{day}。"
        )
    return Citation(title, publisher, day, url, licence, text)
