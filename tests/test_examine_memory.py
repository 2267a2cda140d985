"""What the examination keeps in memory between documents is bounded (the app's preparation process
examines every template of the library in one process)."""

import numpy as np
import pytest

from docexam.examine.lru import BoundedCache, nbytes
from docexam.examine.model import BLUR_VALUES_BYTES, SMALL_VALUES_BYTES, reference_model
from docexam.specimens.registry import find_template


def _array(kib: int) -> np.ndarray:
    return np.zeros(kib * 1024, np.uint8)


def test_a_cache_bounded_by_bytes_drops_the_least_recently_used_first():
    cache = BoundedCache(100, max_bytes=10 * 1024)
    for key in "abcd":
        cache.get_or_build(key, lambda: _array(3))  # 3 KiB each: the fourth goes over 10 KiB
    assert cache.keys() == ["b", "c", "d"]
    cache.get_or_build("b", lambda: _array(3))  # used again: now the most recent
    cache.get_or_build("e", lambda: _array(3))
    assert cache.keys() == ["d", "b", "e"]
    assert cache.nbytes() == 9 * 1024


def test_the_newest_value_is_kept_however_large():
    cache = BoundedCache(100, max_bytes=1024)
    cache.get_or_build("small", lambda: _array(1))
    big = cache.get_or_build("big", lambda: _array(8))
    assert cache.keys() == ["big"] and big.nbytes == 8 * 1024


def test_nbytes_counts_each_array_once_and_views_not_at_all():
    a = _array(4)
    assert nbytes({"a": a, "again": [a, a[:10]], "other": (_array(1),)}) == 5 * 1024
    with pytest.raises(ValueError, match="max_bytes"):
        BoundedCache(4, max_bytes=0)


def test_the_sides_of_a_card_keep_their_values_in_the_sheets_bounded_caches():
    model = reference_model(find_template("mrd-td1"))
    front, back = model.for_side("front"), model.for_side("back")
    assert front.cache is model.cache and back.blur_cache is model.blur_cache
    assert model.cache.max_bytes == SMALL_VALUES_BYTES and model.blur_cache.max_bytes == BLUR_VALUES_BYTES
    # one key, three values: the sheet's and each side's are kept apart
    assert [m.cached("probe-value", lambda v=v: v) for m, v in ((model, 0), (front, 1), (back, 2))] == [0, 1, 2]
    assert front.cached("probe-value", lambda: 9) == 1
    # a side counts its own masks; the images and the values are its sheet's
    masks = sum(m.nbytes for m in (front.document, front.personal, front.fibres, front.unknown))
    assert front.nbytes() == masks
    assert model.nbytes() >= nbytes(model.full) + nbytes(model.work) + model.cache.nbytes()
