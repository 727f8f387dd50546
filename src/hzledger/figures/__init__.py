"""Derived fund figures: one computation per figure, shared by every reader.

The supervisors' compliance page, every report, the members' disclosure and the
roll-up read solvency, reserves, earned dues, member counts, the admin ratio and
audit status from here, so one figure never has two definitions. The package
imports nothing on its own: import the module you need (`figures.ledger` for the
per-load object `LedgerFigures`).
"""
