"""The ways in: HTTP API, web pages and the command line. Translation only, no rules."""
