"""The benchmark suite: server time and query count of the main pages on the --scale full dataset.

Run it with `make bench` or `python -m tests.bench --help`. A new page is one Scenario line in
scenarios.SCENARI, a growth check one Costanza in scenarios.COSTANZE, a long operation (a PDF, a
batch) one Lavoro in lavori.LAVORI; bump dataset.DATASET_VERSION
when the data they need changes. Not a pytest package: no file is named test_*.
"""
