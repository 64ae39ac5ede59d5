"""User-facing errors.

Every problem a policy analyst can cause or fix (a wrong gemeente code, a broken params file,
missing data, a CBS table that changed) is raised as a :class:`KompasError` with a plain message
that says what is wrong and how to fix it. The CLI prints the message without a traceback.
"""


class KompasError(Exception):
    """An error with a message meant for the user, not for a developer."""


class DataError(KompasError):
    """Raw or processed data is missing, malformed or not what the registry expects."""


class ParamsError(KompasError):
    """A params file is broken or holds a value that is not allowed."""


class SourceUnavailable(KompasError):
    """A data source (CBS online, the snapshot folder) cannot be reached or read."""
