"""docexam: training officers to spot fraudulent travel documents."""

__version__ = "0.1.0"
