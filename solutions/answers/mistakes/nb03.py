"""Wrong answers to notebook 03 that its check recognises."""
