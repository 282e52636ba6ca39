"""Wrong answers to notebook 01 that its check recognises."""
