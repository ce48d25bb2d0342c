"""chargeapi's benchmarks: ratios against what the SDK wraps, measured side by side in one run.

``python -m bench`` (or ``nox -s bench``) runs every group; see bench/README.md.
"""
