"""Loan Desk (信贷工作台): offline first-loan intake, scoring and credit memos."""

__version__ = "0.1.0"
