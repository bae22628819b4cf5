"""The repair's words: why an appointment was hit or cancelled is the message
`repair.<reason>` of the catalogue (planner/text/messages.py), shown in the reader's language
on the grids and the changes page and named in letters."""

from __future__ import annotations

#: The warning a repaired plan carries for a referral that lost a session (message: the reason).
CANCELLED_CODE = "repair-cancelled"
