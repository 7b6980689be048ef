"""The REST API under /api/v1 (FastAPI); one router module per resource."""
