"""The machinery every read model shares: which store (store.py), the view contract
(views.py) and its base on each store (postgres.py, sqlite.py), reading and decoding the
log (log.py, decoding.py), the catch-up loop, the projector (runtime.py), versions and
rebuilds, read-your-writes (consistency.py, reading.py) and paging.

The read models themselves are the packages beside this one; catalogue.py lists them.
"""
