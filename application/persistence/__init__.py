"""Storage beside the library: mapping, sealing, the hash chain, idempotency, access log."""
