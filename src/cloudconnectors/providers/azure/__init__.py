"""Microsoft Azure: an app registration with Reader on one subscription."""
