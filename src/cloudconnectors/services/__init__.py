"""Use cases shared by the API, the portal, the CLI and the scheduler."""
