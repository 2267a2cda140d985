"""The files docexam reads and writes, and the vocabulary they share.

The bottom room of the package (see ARCHITECTURE.md, "Layers"): every other
room may import it; it imports only the MRZ text rules and the helpers.
"""
