"""The product: reading scenario/1, writing plan/1, plan validation and the command line."""
