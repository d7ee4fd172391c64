from __future__ import annotations

import pytest

from tests.reference_data import seed_reference_data


@pytest.fixture
def reference_data_tx(transactional_db) -> None:
    """A transactional test's flush empties what data migrations seeded; put it back."""
    seed_reference_data()


@pytest.fixture(scope="session")
def celery_config() -> dict[str, object]:
    """``celery_worker`` runs a worker thread on an in-memory broker."""
    return {"broker_url": "memory://", "result_backend": "cache+memory://",
            "task_acks_late": True,
            "broker_transport_options": {"polling_interval": 0.05}}
