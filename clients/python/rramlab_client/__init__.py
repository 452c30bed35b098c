"""rramlab_client: an rramlab node from Python (docs/python.md).

>>> from rramlab_client import Lab
>>> lab = Lab("http://127.0.0.1:8080", token="...")
"""
from .errors import BadInput, Conflict, LabError, NotAllowed, NotFound, Refused, Unavailable, WaitTimeout
from .events import Event, EventStream
from .lab import Lab
from .reads import READ_COLUMNS

__version__ = "0.1.0"
__all__ = ["Lab", "Event", "EventStream", "LabError", "Refused", "BadInput", "NotAllowed", "NotFound", "Conflict",
           "Unavailable", "WaitTimeout", "READ_COLUMNS", "__version__"]
