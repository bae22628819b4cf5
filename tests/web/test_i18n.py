"""The reader's language: the API's from Accept-Language (English unless it asks for Danish)."""

from __future__ import annotations

import pytest

from web.i18n import accepted_language


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("", None),
        ("da", "da"),
        ("da-DK,da;q=0.9,en;q=0.8", "da"),
        ("en-GB,en;q=0.9,da;q=0.8", "en"),
        ("fr, de;q=0.5", None),
        ("fr, da;q=0.1", "da"),
        ("en;q=0, da;q=0.5", "da"),
        ("*", None),
        ("da;q=nonsense, en", "en"),
    ],
)
def test_accepted_language_is_the_first_of_danish_and_english_by_weight(
    header: str, chosen: str | None
) -> None:
    assert accepted_language(header) == chosen
