"""Where the test data lives."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGES = FIXTURES / "pages"
