"""Allow ``python -m pdlint``."""

from pdlint.cli import run

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    run()
