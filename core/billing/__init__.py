"""Billing rules (docs/domain.md "Billing"): pure functions and frozen classes, no I/O.

Money is integer kopecks everywhere in here; `Decimal` roubles only at the edges (`core.money`).
"""
