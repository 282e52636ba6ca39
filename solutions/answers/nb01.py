"""Answers to notebook 01 · The database session."""
