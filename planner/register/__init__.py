"""The register: what a municipality runs over weeks (courses), and each coming week made from it.

`store` keeps centres, rooms, therapists, packages, classes, citizens and courses (loaded from
scenario/1 or added one by one) and a course's status; `attendance` records whether each session
of a published week took place and settles the courses it counts for; `derive` makes a coming
week's scenario/1 from the register and stores it as a week to plan.
"""
