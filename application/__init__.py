"""Use cases over the Plan aggregate, on the eventsourcing library's Application."""
