from __future__ import annotations

import pytest

from tests.reference_data import seed_reference_data


@pytest.fixture
def reference_data_tx(transactional_db) -> None:
    """A transactional test's flush empties what data migrations seeded; put it back."""
    seed_reference_data()
