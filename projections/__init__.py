"""Read models: lists, review dates and reports, fed by the library's projection machinery.

Each read model is one package (plan_summaries/, reports/): the pure fold of the
application's events into rows that hold no personal data (ids, org ids, enums, dates,
counts, money), the view's interface and queries, and one adapter per store. engine/ is
the machinery they share: engine/views.py for the contract every view keeps,
engine/catalogue.py for the models, engine/runtime.py for keeping them up to date and
engine/rebuild.py for rebuilding one beside the one in use.
"""
