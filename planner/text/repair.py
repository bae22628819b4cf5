"""Danish words for why a repair changed an appointment: stored with the plan and printed in
letters (a cancelled session names its reason)."""

from __future__ import annotations

#: Why an appointment was hit, or cancelled, by code.
REASONS = {
    "therapist-absent": "Terapeuten er fraværende",
    "room-closed": "Lokalet er lukket",
    "class-cancelled": "Holdet er aflyst denne dag",
    "citizen-cancelled": "Borgeren har meldt afbud",
}
#: The warning a repaired plan carries for a referral that lost a session (message: the reason).
CANCELLED_CODE = "repair-cancelled"
