"""The warehouse build and publish machinery: `python -m warehouse` builds and publishes.

- `warehouse.build`: load the new exports into a copy, publish it atomically on success.
- `warehouse.publish`: one writer at a time, a new version of the DuckDB file by rename.
- `warehouse.dbt`: the one way to run dbt (the build, the tests and the benchmarks use it).
"""
