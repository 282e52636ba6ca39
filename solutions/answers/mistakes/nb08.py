"""Wrong answers to notebook 08 that its check recognises."""
