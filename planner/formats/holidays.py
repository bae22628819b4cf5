"""Danish public holidays (helligdage), on which the training centres do not plan."""

from __future__ import annotations

from datetime import date, timedelta

#: Store bededag was abolished as a public holiday from 2024.
LAST_STORE_BEDEDAG = 2023


def easter_sunday(year: int) -> date:
    """Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def danish_public_holidays(year: int) -> dict[date, str]:
    """The official helligdage of a year, by date, with their Danish names."""
    easter = easter_sunday(year)

    def after_easter(days: int) -> date:
        return easter + timedelta(days=days)

    holidays = {
        date(year, 1, 1): "Nytårsdag",
        after_easter(-3): "Skærtorsdag",
        after_easter(-2): "Langfredag",
        easter: "Påskedag",
        after_easter(1): "2. påskedag",
        after_easter(39): "Kristi himmelfartsdag",
        after_easter(49): "Pinsedag",
        after_easter(50): "2. pinsedag",
        date(year, 12, 25): "Juledag",
        date(year, 12, 26): "2. juledag",
    }
    if year <= LAST_STORE_BEDEDAG:
        holidays[after_easter(26)] = "Store bededag"
    return dict(sorted(holidays.items()))
