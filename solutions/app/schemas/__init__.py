"""Pydantic models for what goes over the wire: request bodies and response shapes."""
