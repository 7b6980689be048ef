"""Scale-out on Celery: the app, its tasks, and the broker side of publishing.

Imported only when ``CLOUDCONNECTORS_BROKER_URL`` is set (it needs the ``[scale]`` extra);
everything it decides is in :mod:`cloudconnectors.services.queued_polls`.
"""
