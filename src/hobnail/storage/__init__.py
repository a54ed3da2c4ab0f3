"""Where file bytes live: one interface, a local-disk backend and an S3-compatible one."""
