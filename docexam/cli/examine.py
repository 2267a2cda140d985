"""`docexam examine ...` sub-commands."""


def register(subparsers) -> None:
    """Add this module's sub-commands to the `docexam` parser (none yet)."""
