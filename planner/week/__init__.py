"""A week's data: the coordinator's edits to therapists, rooms, classes, citizens and referrals,
checked with the scenario/1 rules.
"""
