"""Wrong answers to notebook 07 that its check recognises."""
