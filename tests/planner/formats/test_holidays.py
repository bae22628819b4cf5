from datetime import date

from planner.formats.holidays import danish_public_holidays, easter_sunday


def test_easter_sunday_known_years() -> None:
    years = (1818, 2000, 2019, 2024, 2025, 2026, 2027, 2038)
    assert [easter_sunday(year) for year in years] == [
        date(1818, 3, 22),  # the earliest possible date
        date(2000, 4, 23),
        date(2019, 4, 21),
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
        date(2038, 4, 25),  # the latest possible date
    ]


def test_danish_public_holidays_2026_are_the_ten_helligdage() -> None:
    assert danish_public_holidays(2026) == {
        date(2026, 1, 1): "Nytårsdag",
        date(2026, 4, 2): "Skærtorsdag",
        date(2026, 4, 3): "Langfredag",
        date(2026, 4, 5): "Påskedag",
        date(2026, 4, 6): "2. påskedag",
        date(2026, 5, 14): "Kristi himmelfartsdag",
        date(2026, 5, 24): "Pinsedag",
        date(2026, 5, 25): "2. pinsedag",
        date(2026, 12, 25): "Juledag",
        date(2026, 12, 26): "2. juledag",
    }


def test_danish_public_holidays_2023_include_store_bededag() -> None:
    assert danish_public_holidays(2023)[date(2023, 5, 5)] == "Store bededag"
    assert len(danish_public_holidays(2023)) == 11


def test_danish_public_holidays_2024_have_no_store_bededag() -> None:
    assert "Store bededag" not in danish_public_holidays(2024).values()
    assert len(danish_public_holidays(2024)) == 10


def test_danish_public_holidays_leave_out_the_eves_and_constitution_day() -> None:
    holidays = danish_public_holidays(2026)
    eves = [date(2026, 12, 24), date(2026, 12, 31), date(2026, 6, 5)]
    assert [day in holidays for day in eves] == [False, False, False]
