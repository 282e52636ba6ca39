"""Answers to notebook 07 · Errors."""
