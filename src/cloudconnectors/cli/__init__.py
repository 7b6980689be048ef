"""The ``cloudconnectors`` command line, one module per command group."""
