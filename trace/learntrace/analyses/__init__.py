"""Analyses over the record graph: plain functions, shared by the commands and the report."""
