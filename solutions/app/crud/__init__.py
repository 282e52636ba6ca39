"""Database access: writes flush but never commit; the request owns the transaction."""
