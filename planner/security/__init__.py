"""Accounts, passwords and the server secret."""
