"""Sub-commands of ``loandesk``: each module has ``register(subparsers)`` and thin handlers
over the library. Heavy imports (pandas, reportlab) happen inside handlers, never at start-up."""
