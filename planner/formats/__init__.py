"""The exchange formats: scenario/1 in, plan/1 out, their schemas, and the validator that checks a
plan against its scenario without a solver.
"""
