"""Authoring: trainers' own templates, and the studio's template work.

The workflow room above the examination (:mod:`docexam.examine`, whose
alignment and learning it uses) and below the command line and the UI:

* :func:`add_template` (``docexam template add``): genuine specimen images
  become a template, checked (:func:`check_alignment` for a further image)
  and prepared for examination;
* :func:`suggest_template`: which template an uploaded image aligns with;
* :func:`mrz_prefill`: a new specimen's holder data, read from its MRZ.
"""

from .alignment import SELF_CHECK_SEED, AlignmentCheck, check_alignment, suggest_template
from .prefill import mrz_prefill
from .templates import FORMAT_SIZE_MM, AddedTemplate, AuthoringError, add_template

__all__ = ["add_template", "check_alignment", "suggest_template", "mrz_prefill", "AddedTemplate", "AlignmentCheck",
           "AuthoringError", "FORMAT_SIZE_MM", "SELF_CHECK_SEED"]
