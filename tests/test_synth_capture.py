"""Simulated captures: determinism, geometry that matches the homography, ranges of the parameters."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from docexam.synth import capture as C
from docexam.synth.capture import Capture, demo_document, simulate_capture

W, H = 1476, 1039  # a 300 dpi TD3 page keeps these tests quick; geometry does not depend on size


@pytest.fixture(scope="module")
def lights() -> dict:
    doc = demo_document((W, H), personalized=True, seed=2)
    uv = (doc.astype(np.float32) * [0.3, 0.25, 0.6]).astype(np.uint8)
    ir = np.repeat(cv2.cvtColor(doc, cv2.COLOR_RGB2GRAY)[:, :, None], 3, axis=2)
    return {"visible": doc, "uv": uv, "ir": ir}


# --- markers: small red discs at known template points ------------------------------------

MARKERS = np.array([[60.0, 50.0], [W - 70.0, 45.0], [W - 55.0, H - 60.0], [80.0, H - 75.0],
                    [W / 2 + 0.3, H / 2 - 0.4], [400.0, 300.0], [1100.0, 800.0]])


@pytest.fixture(scope="module")
def marked() -> dict:
    """A pale page with red discs drawn with sub-pixel precision at MARKERS."""
    img = np.full((H, W, 3), (235, 235, 228), np.uint8)
    for x, y in MARKERS:
        # shift=4: 1/16 pixel precision, so the disc's centroid is the marker point
        cv2.circle(img, (int(round(x * 16)), int(round(y * 16))), 12 * 16, (200, 20, 20), -1, cv2.LINE_AA, shift=4)
    return {"visible": img, "uv": img.copy(), "ir": img.copy()}


def _marker_positions(img: np.ndarray, expected: np.ndarray, radius: int = 40) -> np.ndarray:
    """Centroid of 'redness' (darkness in a grey picture: IR) in a window around each expected position."""
    f = img.astype(np.float32)
    grey = bool((img[..., 0] == img[..., 1]).all() and (img[..., 1] == img[..., 2]).all())
    red = 255.0 - f[:, :, 0] if grey else np.clip(f[:, :, 0] - 0.5 * (f[:, :, 1] + f[:, :, 2]), 0, None)
    found = []
    for x, y in expected:
        x0, y0 = int(x) - radius, int(y) - radius
        win = red[max(0, y0):y0 + 2 * radius, max(0, x0):x0 + 2 * radius]
        if grey:  # the disc is darker than the page around it; the desk may be dark too: the blob nearest
            win = win - np.median(win)
            n, labels, _, centres = cv2.connectedComponentsWithStats((win > 0.4 * win.max()).astype(np.uint8))
            near = 1 + int(np.argmin(np.linalg.norm(centres[1:] - [x - max(0, x0), y - max(0, y0)], axis=1)))
            win = np.where(labels == near, win, 0)
        win = np.where(win > 0.4 * win.max(), win, 0)
        yy, xx = np.mgrid[0:win.shape[0], 0:win.shape[1]]
        found.append([(xx * win).sum() / win.sum() + max(0, x0), (yy * win).sum() / win.sum() + max(0, y0)])
    return np.array(found)


def _project(hm: np.ndarray, pts: np.ndarray) -> np.ndarray:
    return cv2.perspectiveTransform(pts.reshape(-1, 1, 2).astype(np.float64), hm).reshape(-1, 2)


# --- flat ---------------------------------------------------------------------------------


def test_flat_is_identity_and_unchanged(lights):
    cap = simulate_capture(lights, kind="flat", seed=5)
    assert isinstance(cap, Capture)
    assert np.array_equal(cap.homography, np.eye(3))
    for light, img in lights.items():
        assert np.array_equal(cap.images[light], img)
        assert cap.images[light] is not img  # a copy: the caller may modify it
    assert cap.params["kind"] == "flat"


# --- determinism --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["scan", "phone"])
def test_same_arguments_same_bytes(lights, kind):
    a = simulate_capture(lights, kind=kind, seed=11)
    b = simulate_capture({k: v.copy() for k, v in lights.items()}, kind=kind, seed=11)
    assert set(a.images) == set(lights)
    for light in lights:
        assert a.images[light].tobytes() == b.images[light].tobytes()
    assert np.array_equal(a.homography, b.homography)
    assert json.dumps(a.params, sort_keys=True) == json.dumps(b.params, sort_keys=True)
    c = simulate_capture(lights, kind=kind, seed=12)
    assert c.params != a.params


def test_geometry_does_not_depend_on_which_lights_are_given(lights):
    full = simulate_capture(lights, kind="phone", seed=3)
    one = simulate_capture({"visible": lights["visible"]}, kind="phone", seed=3)
    assert np.array_equal(full.homography, one.homography)
    assert full.images["visible"].tobytes() == one.images["visible"].tobytes()


def test_inputs_are_not_modified(lights):
    before = {k: v.copy() for k, v in lights.items()}
    simulate_capture(lights, kind="phone", seed=1)
    simulate_capture(lights, kind="scan", seed=1)
    for k in lights:
        assert np.array_equal(lights[k], before[k])


# --- geometry: a marker lands where the homography says -----------------------------------


@pytest.mark.parametrize("kind,seed", [("scan", 0), ("scan", 1), ("scan", 2), ("phone", 0), ("phone", 1),
                                       ("phone", 2), ("phone", 3)])
def test_markers_land_where_the_homography_says(marked, kind, seed):
    cap = simulate_capture(marked, kind=kind, seed=seed, dpi=600)
    expected = _project(cap.homography, MARKERS)
    assert (cap.images["ir"][..., 0] == cap.images["ir"][..., 2]).all()  # an IR sensor records no colour
    for light in ("visible", "uv", "ir"):  # same pose under every light
        found = _marker_positions(cap.images[light], expected)
        err = np.linalg.norm(found - expected, axis=1)
        assert err.max() <= 2.0, (light, err.round(2))


def test_capture_frame_contains_the_page(lights):
    for kind in ("scan", "phone"):
        for seed in range(4):
            cap = simulate_capture(lights, kind=kind, seed=seed, dpi=600)
            h, w = cap.images["visible"].shape[:2]
            corners = _project(cap.homography, np.array([[0, 0], [W - 1, 0], [W - 1, H - 1], [0, H - 1]]))
            assert (corners >= 0).all() and (corners[:, 0] < w).all() and (corners[:, 1] < h).all()
            assert [w, h] == cap.params["size_px"]
            for img in cap.images.values():
                assert img.shape == (h, w, 3) and img.dtype == np.uint8


# --- parameters stay in their ranges, and the geometry agrees with them ----------------------


def _linear_scale(hm: np.ndarray, at: tuple[float, float]) -> float:
    x, y = at
    p = _project(hm, np.array([[x, y], [x + 1, y], [x, y + 1]]))
    return float(np.sqrt(abs(np.linalg.det(np.c_[p[1] - p[0], p[2] - p[0]]))))


@pytest.mark.parametrize("seed", range(12))
def test_scan_parameters(lights, seed):
    cap = simulate_capture({"visible": lights["visible"]}, kind="scan", seed=seed, dpi=600)
    p = cap.params
    json.dumps(p)
    assert C.SCAN_DPI[0] <= p["dpi"] <= C.SCAN_DPI[1]
    assert abs(p["rotation_deg"]) <= C.SCAN_MAX_ROTATION_DEG
    assert p["codec"] in ("jpeg", "png")
    if p["codec"] == "jpeg":
        assert C.SCAN_JPEG_QUALITY[0] <= p["jpeg_quality"] <= C.SCAN_JPEG_QUALITY[1]
    else:
        assert p["jpeg_quality"] is None
    # the homography is a similarity: scale dpi/600, rotation as recorded
    hm = cap.homography
    assert np.allclose(hm[2], [0, 0, 1])
    assert _linear_scale(hm, (W / 2, H / 2)) == pytest.approx(p["dpi"] / 600, rel=1e-3)
    assert np.degrees(np.arctan2(hm[1, 0], hm[0, 0])) == pytest.approx(p["rotation_deg"], abs=1e-3)


def _pose_from_homography(hm: np.ndarray, focal: float, offset: np.ndarray):
    """Recover tilt and roll from a plane-to-image homography with a known focal length."""
    # undo the frame offset and the principal point, then K^-1: columns ~ r1, r2, t
    k_inv = np.diag([1 / focal, 1 / focal, 1.0])
    m = k_inv @ np.array([[1, 0, -offset[0]], [0, 1, -offset[1]], [0, 0, 1]]) @ hm
    m = m @ np.array([[1.0, 0, (W - 1) / 2], [0, 1.0, (H - 1) / 2], [0, 0, 1.0]])
    lam = 1.0 / np.linalg.norm(m[:, 0])
    r1, r2 = m[:, 0] * lam, m[:, 1] * lam
    n = np.cross(r1, r2)
    tilt = np.degrees(np.arccos(abs(n[2]) / np.linalg.norm(n)))
    return tilt


@pytest.mark.parametrize("seed", range(12))
def test_phone_parameters(lights, seed):
    cap = simulate_capture({"visible": lights["visible"]}, kind="phone", seed=seed, dpi=600)
    p = cap.params
    json.dumps(p)
    assert p["tilt_deg"] <= C.PHONE_MAX_TILT_DEG
    assert abs(p["rotation_deg"]) <= C.PHONE_MAX_ROTATION_DEG
    assert C.PHONE_SCALE[0] <= p["scale"] <= C.PHONE_SCALE[1]
    assert C.PHONE_JPEG_QUALITY[0] <= p["jpeg_quality"] <= C.PHONE_JPEG_QUALITY[1]
    hm = cap.homography
    # the page centre is imaged at the recorded scale, foreshortened by the tilt
    expected = p["scale"] * np.sqrt(np.cos(np.radians(p["tilt_deg"])))
    assert _linear_scale(hm, ((W - 1) / 2, (H - 1) / 2)) == pytest.approx(expected, rel=0.002)
    # the homography is a true camera view with the recorded tilt: the principal
    # point is where the page centre lands (the page sits on the optical axis)
    centre = _project(hm, np.array([[(W - 1) / 2, (H - 1) / 2]]))[0]
    tilt = _pose_from_homography(hm, p["focal_px"], centre)
    assert tilt == pytest.approx(p["tilt_deg"], abs=0.05)
    # the perspective is visible when tilted: opposite sides differ in length
    if p["tilt_deg"] > 10:
        q = _project(hm, np.array([[0, 0], [W, 0], [W, H], [0, H]]))
        sides = np.linalg.norm(np.roll(q, -1, axis=0) - q, axis=1)
        assert max(sides[0] / sides[2], sides[2] / sides[0], sides[1] / sides[3], sides[3] / sides[1]) > 1.02


def test_phone_light_is_uneven_and_uv_darker_and_noisier(marked):
    cap = simulate_capture(marked, kind="phone", seed=4, dpi=300)
    vis = cv2.cvtColor(cap.images["visible"], cv2.COLOR_RGB2GRAY).astype(np.float32)
    uv = cv2.cvtColor(cap.images["uv"], cv2.COLOR_RGB2GRAY).astype(np.float32)
    page = _project(cap.homography, np.array([[W * 0.2, H * 0.5], [W * 0.8, H * 0.5]]))
    # the same pale paper is lit differently in different places
    a, b = (vis[int(y) - 10:int(y) + 10, int(x) - 10:int(x) + 10].mean() for x, y in page)
    assert abs(a - b) > 1.0
    assert uv.mean() < 0.8 * vis.mean()
    # noise: high-pass residual on a flat paper area
    x, y = page[0].astype(int)

    def noise(img):
        patch = img[y - 30:y + 30, x - 30:x + 30]
        return float((patch - cv2.GaussianBlur(patch, (0, 0), 3)).std())

    assert noise(uv) / max(uv.mean(), 1) > noise(vis) / vis.mean()


def test_jpeg_artefacts_are_real(lights):
    # find a scan that chose JPEG and one that chose PNG
    for seed in range(20):
        cap = simulate_capture({"visible": lights["visible"]}, kind="scan", seed=seed, dpi=600)
        if cap.params["codec"] == "jpeg":
            img = cap.images["visible"]
            ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR),
                                   [cv2.IMWRITE_JPEG_QUALITY, cap.params["jpeg_quality"]])
            again = cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
            # a decoded JPEG is (nearly) a fixed point of its own codec settings
            assert np.abs(again.astype(int) - img.astype(int)).mean() < 1.0
            return
    pytest.fail("no JPEG scan among 20 seeds")


# --- bad arguments --------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs,param", [
    (dict(kind="fax", seed=1), "kind"),
    (dict(kind="scan", seed=-1), "seed"),
    (dict(kind="scan", seed=True), "seed"),
    (dict(kind="scan", seed=1.5), "seed"),
    (dict(kind="scan", seed=1, dpi=0), "dpi"),
])
def test_bad_arguments_name_the_parameter(lights, kwargs, param):
    with pytest.raises(ValueError, match=param):
        simulate_capture({"visible": lights["visible"]}, **kwargs)


@pytest.mark.parametrize("images", [
    {},
    {"xray": np.zeros((100, 100, 3), np.uint8)},
    {"visible": np.zeros((100, 100), np.uint8)},
    {"visible": np.zeros((100, 100, 3), np.float32)},
    {"visible": np.zeros((100, 100, 3), np.uint8), "uv": np.zeros((90, 100, 3), np.uint8)},
    "not a dict",
])
def test_bad_images_are_refused(images):
    with pytest.raises(ValueError, match="images"):
        simulate_capture(images, kind="phone", seed=0)


def test_demo_document():
    a = demo_document((400, 282))
    assert a.shape == (282, 400, 3) and a.dtype == np.uint8
    assert np.array_equal(a, demo_document((400, 282)))
    assert not np.array_equal(demo_document((400, 282), personalized=True), a)
    with pytest.raises(ValueError, match="size"):
        demo_document((10, 10))
