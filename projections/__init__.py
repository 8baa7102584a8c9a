"""Read models: lists, review dates and reports, fed by the library's projection machinery.

Each read model is a fold of the application's events into rows that hold no personal
data (ids, org ids, enums, dates, counts, money). See views.py for the contract every
view keeps, catalogue.py for the models, runtime.py for keeping them up to date and
rebuild.py for rebuilding one beside the one in use.
"""
