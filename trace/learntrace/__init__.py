"""trace: which review recommendations were acted on, by whom, with what evidence."""

__version__ = "0.1.0"
