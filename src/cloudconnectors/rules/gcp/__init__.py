"""Rules over the GCP inventory (CIS Google Cloud Platform Foundation Benchmark v4.0.0)."""
