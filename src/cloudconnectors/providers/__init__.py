"""Cloud providers behind one seam (see :mod:`cloudconnectors.providers.base`)."""
