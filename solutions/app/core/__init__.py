"""Settings, database plumbing, security and errors: the layer everything else builds on."""
