"""Typical wrong answers, one module per notebook: each check must recognise them by name.

The instructor's guide lists them as the mistakes learners make most.
"""
