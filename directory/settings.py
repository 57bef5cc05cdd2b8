"""Settings of the deployment and facts of the atelier, each written in one place."""

from __future__ import annotations

import os

ATELIER_ADDRESS = "Atelier Numérique Google, place Jean-Moulin, 42000 Saint-Étienne"
ATELIER_POSITION = (45.4380, 4.3910)  # approximate, as in the reference data


def contact_email() -> str:
    """The team's email address for the public (VITRINE_CONTACT_EMAIL); "" when the deployment names none."""
    return os.environ.get("VITRINE_CONTACT_EMAIL", "").strip()
