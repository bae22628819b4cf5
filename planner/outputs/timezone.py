"""The VTIMEZONE of a calendar (RFC 5545), shared by the calendar feeds and the letters' .ics."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard


@lru_cache(maxsize=256)
def transitions(zone: str, first: date, last: date) -> tuple[tuple[datetime, timedelta], ...]:
    """The zone's offset changes in [first, last): (moment in UTC, offset after), from tzdata."""
    info = ZoneInfo(zone)
    found = []
    moment = datetime.combine(first, time(), tzinfo=info).astimezone(UTC)
    end = datetime.combine(last, time(), tzinfo=info).astimezone(UTC)
    offset = moment.astimezone(info).utcoffset()
    while moment < end:
        later = min(moment + timedelta(hours=6), end)
        after = later.astimezone(info).utcoffset()
        if after != offset:
            # Narrow the six hours down to the minute the offset changes.
            low, high = moment, later
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(info).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            found.append((high.replace(second=0, microsecond=0), after))
            offset = after
        moment = later
    return tuple((m, o) for m, o in found if o is not None)


def vtimezone(zone: str, first: date, last: date) -> Timezone:
    """A VTIMEZONE covering [first, last): the offset at the start, then each change.

    Written here rather than by icalendar's `Timezone.from_tzid`, which adds a COMMENT line and
    dates a change to summer time by the new clock instead of the old one (RFC 5545 3.6.5: an
    observance's DTSTART is in the local time before the change).
    """
    info = ZoneInfo(zone)
    opening = datetime.combine(first, time(), tzinfo=info)
    component = Timezone()
    component.add("tzid", zone)
    offset = opening.utcoffset() or timedelta()
    component.add_component(observance(opening, offset, offset))
    for moment, after in transitions(zone, first, last):
        component.add_component(observance(moment.astimezone(info), offset, after))
        offset = after
    return component


def observance(
    moment: datetime, before: timedelta, after: timedelta
) -> TimezoneStandard | TimezoneDaylight:
    """STANDARD or DAYLIGHT from `moment`, its onset written in the clock before the change."""
    info = moment.tzinfo
    assert info is not None
    summer = bool(moment.dst())
    part = TimezoneDaylight() if summer else TimezoneStandard()
    onset = (moment.astimezone(UTC) + before).replace(tzinfo=None)
    part.add("dtstart", onset)
    part.add("tzname", moment.tzname() or "")
    part.add("tzoffsetfrom", before)
    part.add("tzoffsetto", after)
    return part
