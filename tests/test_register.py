"""Registration to the template (pipeline step 2): known answers.

A document warped by a known homography must come back within 1.5 template
pixels, measured on the page corners and a grid of points: each template
point is mapped through the true homography into the image and back through
the estimated one.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from docexam.examine.register import (Registration, ReferenceIndex, map_box, map_points, reference_index,
                                      register, warp_to_template)
from docexam.synth.capture import demo_document, simulate_capture

W, H = 2953, 2079  # a 600 dpi TD3 data page
TOLERANCE_PX = 1.5


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return demo_document((W, H))


@pytest.fixture(scope="module")
def document() -> np.ndarray:
    """The same design with a holder's portrait, data and MRZ, which the reference lacks."""
    return demo_document((W, H), seed=4, personalized=True)


def _rotation(axis, angle_rad) -> np.ndarray:
    r, _ = cv2.Rodrigues((np.asarray(axis, float) * angle_rad).reshape(3, 1))
    return r


def known_warp(doc: np.ndarray, *, angle=0.0, tilt=0.0, tilt_dir=30.0, scale=1.0, margin=0.12,
               background=(96, 90, 80)) -> tuple[np.ndarray, np.ndarray]:
    """Photograph ``doc`` with a pinhole camera; return the image and the template->image homography."""
    h, w = doc.shape[:2]
    d = np.radians(tilt_dir)
    r = _rotation([0, 0, 1], np.radians(angle)) @ _rotation([np.cos(d), np.sin(d), 0], np.radians(tilt))
    f = 1.2 * w * scale
    centre = np.array([[1.0, 0, -(w - 1) / 2], [0, 1.0, -(h - 1) / 2], [0, 0, 1.0]])
    hm = np.diag([f, f, 1.0]) @ np.c_[r[:, 0], r[:, 1], [0, 0, f / scale]] @ centre
    hm /= hm[2, 2]
    c = cv2.perspectiveTransform(np.float64([[[0, 0]], [[w, 0]], [[w, h]], [[0, h]]]), hm).reshape(-1, 2)
    lo, hi = c.min(0), c.max(0)
    shift = (hi - lo) * margin - lo
    hm = np.array([[1, 0, shift[0]], [0, 1, shift[1]], [0, 0, 1]]) @ hm
    size = np.ceil((hi - lo) * (1 + 2 * margin)).astype(int)
    # area averaging when shrinking, as a camera's optics would
    if scale < 1:
        # an explicit size: with fx/fy OpenCV scales by exactly fx, not by the rounded size ratio
        small = cv2.resize(doc, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
        sx, sy = small.shape[1] / w, small.shape[0] / h
        m = np.array([[sx, 0, 0.5 * sx - 0.5], [0, sy, 0.5 * sy - 0.5], [0, 0, 1]])
        img = cv2.warpPerspective(small, hm @ np.linalg.inv(m), tuple(size), borderValue=background)
    else:
        img = cv2.warpPerspective(doc, hm, tuple(size), borderValue=background)
    return img, hm


def grid_error(true_t2i: np.ndarray, reg: Registration, size=(W, H)) -> float:
    """Largest error, in template pixels, over the corners and a 9x7 grid of the page."""
    w, h = size
    pts = np.array([[x, y] for x in np.linspace(0, w - 1, 9) for y in np.linspace(0, h - 1, 7)])
    in_image = cv2.perspectiveTransform(pts.reshape(-1, 1, 2), true_t2i).reshape(-1, 2)
    return float(np.linalg.norm(map_points(in_image, reg) - pts, axis=1).max())


@pytest.mark.parametrize("angle", [0, 90, 180, 270, 37, -123])
def test_any_in_plane_rotation_registers_back(reference, document, angle):
    img, hm = known_warp(document, angle=angle, scale=0.6)
    reg = register(img, reference)
    assert reg.ok, reg.reason
    assert grid_error(hm, reg) <= TOLERANCE_PX
    assert 0 <= reg.reprojection_error_px <= TOLERANCE_PX


@pytest.mark.parametrize("kw", [
    dict(tilt=20, tilt_dir=30, angle=8, scale=0.7),
    dict(tilt=20, tilt_dir=115, angle=190, scale=0.7),
    dict(scale=0.4, angle=60),
    dict(scale=0.4, tilt=20, angle=-160),
    dict(scale=1.5, angle=-20, margin=0.05),
], ids=["tilt20", "tilt20-upside-down", "scale0.4", "scale0.4-tilt20", "scale1.5"])
def test_tilt_and_scale_register_back(reference, document, kw):
    img, hm = known_warp(document, **kw)
    reg = register(img, reference)
    assert reg.ok, reg.reason
    assert grid_error(hm, reg) <= TOLERANCE_PX


@pytest.mark.parametrize("kind,seed", [("scan", 0), ("scan", 1), ("phone", 0), ("phone", 1), ("phone", 2)])
def test_simulated_captures_register_back(reference, document, kind, seed):
    cap = simulate_capture({"visible": document}, kind=kind, seed=seed)
    reg = register(cap.images["visible"], reference)
    assert reg.ok, reg.reason
    assert grid_error(cap.homography, reg) <= TOLERANCE_PX
    assert set(reg.timings_ms) >= {"features", "match", "homography", "refine", "total"}


def test_flat_document_is_near_identity(reference, document):
    reg = register(document, reference)
    assert reg.ok
    assert grid_error(np.eye(3), reg) <= 0.5


def test_gray_input_works(reference, document):
    img, hm = known_warp(document, angle=200, scale=0.5)
    reg = register(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), reference)
    assert reg.ok and grid_error(hm, reg) <= TOLERANCE_PX


@pytest.mark.parametrize("what", ["noise", "plain-photo", "blank", "other-document", "tiny"])
def test_non_documents_are_refused_with_a_reason(reference, what):
    rng = np.random.default_rng(1)
    if what == "noise":
        img = rng.integers(0, 256, (1200, 1600, 3), dtype=np.uint8)
    elif what == "plain-photo":
        # a smooth scene with a few objects: sky gradient, a "sun", a "house"
        yy, xx = np.mgrid[0:1200, 0:1600]
        img = np.dstack([100 + yy / 12, 140 + yy / 20, 200 - yy / 10]).astype(np.uint8)
        cv2.circle(img, (1200, 250), 120, (250, 220, 90), -1, cv2.LINE_AA)
        cv2.rectangle(img, (300, 600), (800, 1100), (150, 80, 60), -1)
        cv2.fillPoly(img, [np.array([[250, 600], [550, 350], [850, 600]])], (90, 40, 30))
        img = cv2.add(img, rng.integers(0, 6, img.shape, dtype=np.uint8))
    elif what == "blank":
        img = np.full((1000, 1400, 3), 230, np.uint8)
    elif what == "other-document":
        img = demo_document((W, H), design=1, personalized=True)
    else:
        img = np.zeros((20, 30, 3), np.uint8)
    reg = register(img, reference)
    assert not reg.ok
    assert reg.reason and len(reg.reason) > 15
    assert reg.as_dict()["ok"] is False


def test_inputs_are_not_modified(reference, document):
    img, _ = known_warp(document, angle=45, scale=0.5)
    before_img, before_ref = img.copy(), reference.copy()
    reg = register(img, reference)
    warp_to_template(img, reg, (W, H))
    assert np.array_equal(img, before_img) and np.array_equal(reference, before_ref)


def test_reference_index_is_cached_and_reusable(reference, document):
    a = reference_index(reference)
    assert reference_index(reference.copy()) is a
    assert isinstance(a, ReferenceIndex) and a.size == (W, H)
    img, hm = known_warp(document, angle=10, scale=0.5)
    assert grid_error(hm, register(img, a)) <= TOLERANCE_PX


def test_warp_to_template_restores_the_page(reference, document):
    img, _ = known_warp(document, angle=130, tilt=12, scale=0.8)
    reg = register(img, reference)
    back = warp_to_template(img, reg, (W, H))
    assert back.shape == document.shape and back.dtype == np.uint8
    inner = (slice(100, H - 100), slice(100, W - 100))
    diff = np.abs(back[inner].astype(int) - document[inner].astype(int)).mean()
    assert diff < 12  # resampling blur only: a misalignment of 2 px would give far more
    white = warp_to_template(img, np.eye(3) * [[1, 1, 1], [1, 1, 1], [1, 1, 1]], (W, H), border="white")
    assert white.shape == (H, W, 3)


def test_map_points_and_boxes_round_trip():
    h = np.array([[0.5, -0.1, 40.0], [0.12, 0.48, 10.0], [1e-5, -2e-5, 1.0]])
    pts = np.array([[0.0, 0.0], [100.0, 250.0], [2952.0, 2078.0]])
    back = map_points(map_points(pts, h, to="image"), h, to="template")
    np.testing.assert_allclose(back, pts, atol=1e-6)
    box = [100, 200, 400, 300]
    img_box = map_box(box, h, to="image")
    x0, y0, x1, y1 = img_box
    corners = map_points([[100, 200], [400, 200], [400, 300], [100, 300]], h, to="image")
    assert x0 <= corners[:, 0].min() and x1 >= corners[:, 0].max()
    assert y0 <= corners[:, 1].min() and y1 >= corners[:, 1].max()
    assert map_box([10, 10, 5000, 5000], np.eye(3), clip_to=(W, H)) == [10, 10, W, H]


@pytest.mark.parametrize("call,param", [
    (lambda ref: register(np.zeros((100, 100), np.float32), ref), "image"),
    (lambda ref: register(np.zeros((100, 100, 2), np.uint8), ref), "image"),
    (lambda ref: register(np.zeros((100, 100), np.uint8), "not an image"), "reference"),
    (lambda ref: register(np.zeros((100, 100), np.uint8), ref, ratio=1.5), "ratio"),
    (lambda ref: register(np.zeros((100, 100), np.uint8), ref, min_inliers=2), "min_inliers"),
    (lambda ref: warp_to_template(np.zeros((10, 10), np.uint8), np.eye(3), (0, 10)), "size"),
    (lambda ref: warp_to_template(np.zeros((10, 10), np.uint8), np.eye(2), (10, 10)), "registration"),
    (lambda ref: map_points([[1, 2, 3]], np.eye(3)), "points"),
    (lambda ref: map_points([[1, 2]], np.eye(3), to="sideways"), "to"),
    (lambda ref: map_box([1, 2, 3], np.eye(3)), "box"),
])
def test_bad_arguments_name_the_parameter(reference, call, param):
    with pytest.raises(ValueError, match=param):
        call(reference)


# --------------------------------------------------------------------------
# the real template, once the specimen library has rendered it


def _real_template(template_id: str):
    from docexam.errors import UnknownNameError
    from docexam.specimens import find_template

    try:
        t = find_template(template_id)
    except UnknownNameError:
        pytest.skip(f"template {template_id} is not rendered yet")
    if not t.image_path("visible").is_file():
        pytest.skip(f"template {template_id} has no visible image yet")
    return t


def _personalized(template_id: str, seed: int) -> np.ndarray:
    """A genuine flat specimen of the template (holder's portrait, data, MRZ)."""
    from docexam.synth import render_specimen

    return render_specimen(template_id, seed=seed, capture="flat").images["visible"]


@pytest.mark.parametrize("template_id", ["uto-td3", "mrd-td1"])
def test_real_template_captures_register_back(template_id):
    from docexam.imaging import load_rgb

    t = _real_template(template_id)
    ref = load_rgb(t.image_path("visible"))
    doc = _personalized(template_id, seed=2)
    size = (ref.shape[1], ref.shape[0])
    for kind, seed in (("phone", 3), ("phone", 0), ("scan", 4)):
        cap = simulate_capture({"visible": doc}, kind=kind, seed=seed)
        reg = register(cap.images["visible"], ref)
        assert reg.ok, f"{kind} {seed}: {reg.reason}"
        assert grid_error(cap.homography, reg, size) <= TOLERANCE_PX, (kind, seed)
    for kw in (dict(angle=180, tilt=15, scale=0.6), dict(angle=-100, tilt=20, tilt_dir=70, scale=0.4)):
        img, hm = known_warp(doc, **kw)
        reg = register(img, ref)
        assert reg.ok, reg.reason
        assert grid_error(hm, reg, size) <= TOLERANCE_PX, kw


@pytest.mark.parametrize("template_id, seed", [("uto-td3", 669665969), ("mrd-td1", 1527627389)])
def test_steeply_tilted_phone_photo_registers_back(template_id, seed):
    """Phone photos near the 20 degree tilt limit, whose feature pose is 100-160 px off at the far corners."""
    from docexam.imaging import load_rgb
    from docexam.synth import render_specimen

    t = _real_template(template_id)
    # a phone photo shows one side of a card: it registers to that side of the reference
    _, (x0, y0, x1, y1) = t.sides[0]
    ref = np.ascontiguousarray(load_rgb(t.image_path("visible"))[y0:y1, x0:x1])
    r = render_specimen(template_id, seed=seed, capture="phone")
    assert r.sidecar["capture"]["tilt_deg"] > 19
    reg = register(r.images["visible"], ref)
    assert reg.ok, reg.reason
    side_to_sheet = np.array([[1.0, 0, x0], [0, 1.0, y0], [0, 0, 1.0]])
    true_t2i = np.array(r.sidecar["capture"]["homography"]) @ side_to_sheet
    assert grid_error(true_t2i, reg, (ref.shape[1], ref.shape[0])) <= TOLERANCE_PX


def test_wrong_template_is_refused():
    """A TD1 card does not register to the TD3 page, and the reason says so in plain words."""
    from docexam.imaging import load_rgb

    td3 = _real_template("uto-td3")
    _real_template("mrd-td1")
    card = simulate_capture({"visible": _personalized("mrd-td1", seed=1)}, kind="phone", seed=1).images["visible"]
    reg = register(card, load_rgb(td3.image_path("visible")))
    assert not reg.ok and reg.reason


# --------------------------------------------------------------------------
# a booklet spread whose leaves lie apart: each page posed on its own

PAGE_W, PAGE_H = 1400, 1000
SPREAD_PAGES = [("left", [0, 0, PAGE_W, PAGE_H]), ("right", [PAGE_W, 0, 2 * PAGE_W, PAGE_H])]


def _photographed_spread(left_apart: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict]:
    """A spread of two textured pages; the left page moved by ``left_apart`` (template -> template) before the camera.

    Returns the image, the reference and each page's true template -> image homography.
    """
    # two designs (the right page the left one mirrored): neither page matches the other's place
    left = demo_document((PAGE_W, PAGE_H), seed=1)
    right = np.ascontiguousarray(cv2.flip(left, 0))
    camera = np.array([[0.8, 0, 100], [0, 0.8, 120], [0, 0, 1.0]])
    truth = {"left": camera @ left_apart, "right": camera}
    size = (2 * PAGE_W + 300, PAGE_H + 300)
    img = np.full((size[1], size[0], 3), (90, 80, 70), np.uint8)
    for page, name, x0 in ((left, "left", 0), (right, "right", PAGE_W)):
        m = truth[name] @ np.array([[1.0, 0, x0], [0, 1, 0], [0, 0, 1]])
        warped = cv2.warpPerspective(page, m, size)
        inside = cv2.warpPerspective(np.full(page.shape[:2], 255, np.uint8), m, size) > 0
        img[inside] = warped[inside]
    return img, np.hstack([left, right]), truth


def _page_error(reg: Registration, box, true_t2i: np.ndarray) -> float:
    """Largest error, template pixels, over a 5x5 grid of one page, through the pose registration gives that page."""
    x0, y0, x1, y1 = box
    pts = np.array([[x, y] for x in np.linspace(x0, x1 - 1, 5) for y in np.linspace(y0, y1 - 1, 5)])
    in_image = cv2.perspectiveTransform(pts.reshape(-1, 1, 2), true_t2i).reshape(-1, 2)
    back = cv2.perspectiveTransform(in_image.reshape(-1, 1, 2), reg.pose_for(box)).reshape(-1, 2)
    return float(np.linalg.norm(back - pts, axis=1).max())


def _lifted_leaf(outward: float = 0.0) -> np.ndarray:
    """The left leaf lifted at its outer edge (foreshortened about the fold), then moved ``outward`` pixels."""
    corners = np.float32([[0, 0], [PAGE_W, 0], [PAGE_W, PAGE_H], [0, PAGE_H]])
    lifted = np.float32([[150, -30], [PAGE_W, 0], [PAGE_W, PAGE_H], [150, PAGE_H + 30]])
    move = np.array([[1.0, 0, -outward], [0, 1, 0], [0, 0, 1]])
    return move @ cv2.getPerspectiveTransform(corners, lifted)


def test_a_leaf_bent_at_the_fold_gets_its_own_pose():
    img, ref, truth = _photographed_spread(_lifted_leaf())
    one_pose = register(img, ref)
    assert one_pose.ok and not one_pose.pages  # one page fits; the other's patches fall out as outliers
    assert max(_page_error(one_pose, box, truth[name]) for name, box in SPREAD_PAGES) > 20
    reg = register(img, ref, pages=SPREAD_PAGES)
    assert reg.ok and len(reg.pages) == 1
    for name, box in SPREAD_PAGES:
        assert _page_error(reg, box, truth[name]) <= TOLERANCE_PX, name
    assert set(reg.as_dict()["pages"]) == {reg.pages[0][0]}


def test_a_leaf_apart_from_the_fold_keeps_the_spreads_pose():
    """Moved 25 px off the fold, the leaf is not this spread's: posed on its own it would hide the gap."""
    img, ref, truth = _photographed_spread(_lifted_leaf(outward=25))
    reg = register(img, ref, pages=SPREAD_PAGES, max_fold_gap_px=11)
    assert reg.ok and reg.pages == ()
    assert register(img, ref, pages=SPREAD_PAGES, max_fold_gap_px=40).pages  # a looser fold lets it go


def test_a_flat_spread_keeps_one_pose():
    img, ref, truth = _photographed_spread(np.eye(3))
    reg = register(img, ref, pages=SPREAD_PAGES)
    assert reg.ok and reg.pages == () and "pages" not in reg.as_dict()
    for name, box in SPREAD_PAGES:
        assert _page_error(reg, box, truth[name]) <= TOLERANCE_PX, name
