"""Google Cloud: a service-account key, one project per connector."""
