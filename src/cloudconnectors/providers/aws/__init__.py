"""Amazon Web Services: assume-role into the customer account, then collect.

``COLLECTED_TYPES`` names every asset type the collector stores (from the declarations in
``resources``); the rules' contract test checks each type a rule reads is among them.
"""

from __future__ import annotations

from cloudconnectors.providers.aws.resources import RESOURCES

__all__ = ["COLLECTED_TYPES"]

COLLECTED_TYPES: frozenset[str] = frozenset(t for r in RESOURCES for t in r.types())
