"""Answers to notebook 02 · Models."""
