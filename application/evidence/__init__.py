"""Evidence for disputes and tribunals: what changed between two instants, the plan's
history as a self-verifying export, and signed checkpoints of its hash chain.

Each module holds one of these; none of them writes to a plan."""
