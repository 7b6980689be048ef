"""Pure domain: connectors, their states, assets and poll outcomes. No I/O here."""
