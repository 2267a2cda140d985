"""Post-test: the parallel form of the pre-test, after the lessons (answers recorded, not explained)."""

from docexam.ui import quiz

quiz.run_test("post")
