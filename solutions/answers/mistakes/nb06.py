"""Wrong answers to notebook 06 that its check recognises."""
