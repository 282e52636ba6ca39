"""The checker tests' own marker (pyproject.toml's `--strict-markers` wants it registered)."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "slow: builds a throwaway environment or starts other Pythons (seconds, not milliseconds);"
        ' still part of `pytest -m "not notebooks"`',
    )
