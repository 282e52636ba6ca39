"""Answers to notebook 08 · The assembled service."""
