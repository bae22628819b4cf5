"""Password rules: long enough, not the username, not one of the passwords guessers try first."""

from __future__ import annotations

MIN_PASSWORD = 10
MIN_DISTINCT = 5

#: Passwords of 10 characters or more that lists of leaked passwords put at the top, with the
#: Danish ones a guesser would add (compared in lower case, spaces removed).
_COMMON_WORDS = """
    1234567890 0123456789 12345678910 0987654321 1122334455 1234512345 1234554321 123456789a
    a123456789 1q2w3e4r5t 1qaz2wsx3edc qwertyuiop qwertyuiop1 asdfghjkl1 zxcvbnm123
    password12 password123 password1234 passw0rd123 password! password01 passwordpassword
    iloveyou12 qwerty1234 qwerty12345 abcdefghij abcd123456 abc1234567 letmein123 welcome123
    welcome2024 welcome2025 welcome2026 administrator admin12345 admin123456 trustno1234
    football12 baseball12 sunshine12 princess12 dragon1234 monkey1234 michael123 superman12
    adgangskode adgangskode1 adgangskode123 kodeord123 hemmelighed hemmelig123 sommer2024
    sommer2025 sommer2026 vinter2024 vinter2025 vinter2026 efterår2025 forår2026 danmark123
    danmark2025 danmark2026 velkommen1 velkommen123 velkommen2025 velkommen2026 kommune123
    norddjurs1 norddjurs123 træning123 traening123 genoptræning terapeut123 koordinator
    koordinator1 fysioterapi ergoterapi sundhed123 mandag1234 januar2026 december2026
"""
COMMON = frozenset(_COMMON_WORDS.split())


def password_problem(password: str, username: str) -> str | None:
    """What is wrong with a new password (in Danish), or None when it may be used."""
    plain = password.strip().lower().replace(" ", "")
    if len(password) < MIN_PASSWORD:
        return f"Adgangskoden skal være mindst {MIN_PASSWORD} tegn"
    if username and username.strip().lower() in plain:
        return "Adgangskoden må ikke indeholde brugernavnet"
    if len(set(plain)) < MIN_DISTINCT:
        return f"Adgangskoden skal have mindst {MIN_DISTINCT} forskellige tegn"
    if plain in COMMON:
        return "Adgangskoden er for almindelig; vælg en, der er svær at gætte"
    return None
