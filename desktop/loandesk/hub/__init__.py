"""The head-office hub: a FastAPI service over SQLAlchemy Core (SQLite or PostgreSQL).

``service`` holds the hub's functions (enrol, apply a push, pull, decide, publish rules, list,
verify a memo); ``app`` (HTTP) and ``loandesk.commands.hub`` (command line) are two faces over it,
and a web console would be a third. Never imports ``loandesk.ui`` or Qt.
"""
