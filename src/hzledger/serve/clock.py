"""Times on the service's pages in the server's zone (`hzledger serve --timezone`), zone shown.

Set once at startup, before any request thread exists, and only read afterwards.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"

_zone: ZoneInfo = ZoneInfo(DEFAULT_ZONE)


class UnknownZone(ValueError):
    """A `--timezone` name the zone database does not know."""


def set_zone(name: str) -> None:
    global _zone
    try:
        _zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownZone(name) from exc


def zone() -> ZoneInfo:
    return _zone


def local_time(moment: datetime.datetime) -> str:
    """`2026-11-29 22:05（Asia/Shanghai，UTC+08:00）`; a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    local = moment.astimezone(_zone)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M}（{_zone.key}，UTC{offset[:3]}:{offset[3:]}）"


def local_day(moment: datetime.datetime) -> str:
    """The calendar day (`2026-11-30`) in the server's zone; a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return f"{moment.astimezone(_zone):%Y-%m-%d}"
