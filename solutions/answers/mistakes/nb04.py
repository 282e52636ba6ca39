"""Wrong answers to notebook 04 that its check recognises."""
