"""The CP-SAT planning model over plain typed data; knows no database and no web.

Importing this package does not import OR-Tools: `solver.problem` is plain data, shared with the
plan validator. The model lives in `solver.model`.
"""
