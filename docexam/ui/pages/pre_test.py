"""Pre-test: what the trainee knows before the lessons (answers recorded, not explained)."""

from docexam.ui import quiz

quiz.run_test("pre")
