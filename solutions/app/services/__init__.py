"""Business rules: what may happen, in which order, and which domain error when it may not."""
