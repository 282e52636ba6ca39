"""Answers to notebook 05 · Routes."""
