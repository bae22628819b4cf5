"""Tools that ship with the product but are not the product: the scenario generator, the benchmark
and the demo database.
"""
