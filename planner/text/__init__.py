"""Words people read: Danish and English wording of days, times, reasons and messages."""
