"""Reports: per connector and framework, built from stored evaluation counts and findings,
exported as JSON, CSV, self-contained HTML and OCSF Detection Findings. Pure: no I/O here."""
