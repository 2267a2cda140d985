"""Examination pipeline: compare a document image with its reference template.

Steps live in their own modules; :mod:`.register` aligns a capture to the template.
"""
