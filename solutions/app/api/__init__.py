"""The HTTP layer: dependencies and routers that translate requests into service calls."""
