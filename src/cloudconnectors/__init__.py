"""Cloud Connectors: a self-hosted, multi-cloud posture service.

Layers, each importing only from the ones before it:
domain -> providers -> inventory -> rules -> storage -> services -> scheduler -> jobs (Celery)
-> api -> web -> composition (assembles each process) -> cli.
"""

__version__ = "0.1.0"
