"""Wrong answers to notebook 05 that its check recognises."""
