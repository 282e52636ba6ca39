"""Answers to notebook 04 · CRUD."""
