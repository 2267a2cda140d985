"""The examples in the lesson and assessment docstrings run and give what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["docexam.lessons.format", "docexam.lessons.items", "docexam.lessons.figures",
           "docexam.lessons.vocabulary", "docexam.lessons.quiz", "docexam.assessment.psychometrics",
           "docexam.assessment.course", "docexam.assessment.itemstats", "docexam.training.merges",
           "docexam.training.checks",
           "docexam.assessment.scoring", "docexam.assessment.metrics", "docexam.assessment.forms",
           "docexam.assessment.survey", "docexam.assessment.refresher"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
