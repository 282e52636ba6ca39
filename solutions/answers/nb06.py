"""Answers to notebook 06 · Security."""
