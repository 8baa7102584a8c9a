"""Faults and load: prove that nothing acknowledged is lost or written twice.

The harness runs everything for real on this machine, over loopback: a throwaway
PostgreSQL cluster (initdb in a temporary folder, its own port), `planledger serve` and
`planledger project` as subprocesses, and asyncio clients writing with Idempotency-Keys
while processes are killed and the database restarts. `test_faults.py` is the short form
that runs with the suite; `bench/faults.py` runs the long form and `bench/soak.py` the
soak, from the same modules.
"""
