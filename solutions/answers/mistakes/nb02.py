"""Wrong answers to notebook 02 that its check recognises."""
