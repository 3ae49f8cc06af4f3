"""Archive tests use the core cast only (archivio depends only on pianizona)."""
