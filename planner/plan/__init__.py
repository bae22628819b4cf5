"""Plans: versions and publishing, background solves, and the coordinator's changes to a draft by
hand.
"""
