"""``python -m docexam.formats``: rewrite docs/formats.md and docs/schemas/ from the models."""

from pathlib import Path

from .docs import write

for path in write(Path(__file__).resolve().parents[2]):
    print(path)
