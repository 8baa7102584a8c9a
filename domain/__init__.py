"""The planning domain: the Plan aggregate, its events, values and rules. No I/O."""
