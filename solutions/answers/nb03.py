"""Answers to notebook 03 · Schemas."""
