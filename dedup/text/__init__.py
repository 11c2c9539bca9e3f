"""Text stages: HTML extraction (later), page-junk cleaning, normalisation."""
