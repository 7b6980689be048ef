"""The ``cloudconnectors demo`` sandbox: an AWS emulator seeded with a small customer account.

Installed with the ``[demo]`` extra (moto). The normal server never imports this package.
"""
