"""Turn analysis results into text, JSON, CSV, Markdown and GitHub annotations. No analysis here."""
