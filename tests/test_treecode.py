"""The shipped model's trees as C code (boilerplate/treecode.py): the table, the code, the fingerprints."""

import ctypes
import shutil
import subprocess
import sys

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from boilerplate import model as model_module
from boilerplate import treecode
from boilerplate.api import default_model_path
from boilerplate.model import BlockClassifier, Model, load_model, save_model

compiled_trees = pytest.mark.skipif(
    model_module._compiled_raw_scores is None,
    reason="the compiled tree walk is not built in this installation (no C compiler at install)",
)


def fitted_booster(seed: int = 0) -> HistGradientBoostingClassifier:
    """A small booster whose splits learned where missing values go, both ways."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0, 1, (600, 4)).astype(np.float32)
    y = ((X[:, 0] > 0) ^ (X[:, 1] > 0.5)).astype(int)
    X[rng.random(600) < 0.15, 0] = np.nan
    y[np.isnan(X[:, 0])] = 1  # missing in feature 0 means content: its splits send NaN one way
    X[rng.random(600) < 0.15, 1] = np.nan
    return HistGradientBoostingClassifier(max_iter=25, max_leaf_nodes=12, random_state=seed).fit(X, y)


def probe(booster: HistGradientBoostingClassifier, trees, seed: int = 3) -> np.ndarray:
    """Rows on every threshold, just beside it, random, and missing."""
    rng = np.random.default_rng(seed)
    rows = model_module._probe_rows(trees[1], booster.n_features_in_)
    noise = rng.normal(0, 1.5, (300, booster.n_features_in_)).astype(np.float32)
    noise[rng.random(noise.shape) < 0.1] = np.nan
    return np.vstack([rows, noise])


def test_a_table_gives_back_the_trees_it_was_written_with(tmp_path):
    rng = np.random.default_rng(0)
    boosters = []
    for k in range(3):
        nodes = np.zeros(7, dtype=list(treecode._FIELDS))
        nodes["threshold"] = rng.normal(size=7).astype(np.float32)
        nodes["feature"] = rng.integers(-1, 5, 7)
        nodes["left"] = rng.integers(0, 6, 7)
        nodes["missing_right"] = rng.integers(0, 2, 7)
        boosters.append((np.array([0, 3], dtype=np.int32), nodes, rng.normal(size=7), float(k) - 0.25))
    path = tmp_path / "m.trees.npz"
    treecode.save_table(path, boosters)
    loaded = treecode.load_table(path)
    assert [treecode.fingerprint(b) for b in loaded] == [treecode.fingerprint(b) for b in boosters]
    assert len(set(treecode.fingerprint(b) for b in boosters)) == 3
    changed = (boosters[0][0], boosters[0][1].copy(), boosters[0][2], boosters[0][3])
    changed[1]["threshold"][2] = np.nextafter(changed[1]["threshold"][2], np.float32(np.inf))
    assert treecode.fingerprint(changed) != treecode.fingerprint(boosters[0])  # one threshold one step up
    assert treecode.table_path("models/m.joblib").as_posix() == "models/m.trees.npz"


@compiled_trees
def test_the_table_beside_the_shipped_model_holds_its_trees():
    """A retrained shipped model needs its table written again (python -m boilerplate.treecode MODEL)."""
    path = default_model_path()
    estimator = load_model(path).estimator
    packed = [model_module.pack_trees(b) for b in (*estimator.first_, *estimator.second_)]
    table = treecode.load_table(treecode.table_path(path))
    assert [treecode.fingerprint(b) for b in table] == [treecode.fingerprint(b) for b in packed]


@compiled_trees
@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler to build the generated code with")
def test_the_generated_code_gives_the_walks_scores(tmp_path):
    boosters = [fitted_booster(0), fitted_booster(1)]
    packed = [model_module.pack_trees(b) for b in boosters]
    source = treecode.c_source(packed) + (
        "void score(int k, const float *X, ptrdiff_t n, ptrdiff_t stride, double baseline, double *out)"
        " { SHIPPED_SCORERS[k](X, n, stride, baseline, out); }\n"
        "int count(void) { return SHIPPED_COUNT; }\n"
        "const char *name(int k) { return SHIPPED_FINGERPRINTS[k]; }\n"
    )
    (tmp_path / "trees.c").write_text(source)
    library = tmp_path / "trees.so"
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(library), str(tmp_path / "trees.c")], check=True)
    code = ctypes.CDLL(str(library))
    code.name.restype = ctypes.c_char_p
    code.score.argtypes = [
        ctypes.c_int,
        ctypes.c_void_p,
        ctypes.c_ssize_t,
        ctypes.c_ssize_t,
        ctypes.c_double,
        ctypes.c_void_p,
    ]
    assert code.count() == 2
    for k, (booster, trees) in enumerate(zip(boosters, packed, strict=True)):
        assert code.name(k).decode() == treecode.fingerprint(trees)
        X = np.ascontiguousarray(probe(booster, trees))
        assert np.isnan(X).any() and model_module._compiled_raw_scores is not None
        out = np.empty(len(X))
        code.score(k, X.ctypes.data, len(X), X.shape[1], trees[3], out.ctypes.data)
        walked = model_module._compiled_raw_scores(X, *trees)
        assert np.array_equal(out, walked)  # to the last bit
        assert np.array_equal(booster._loss.predict_proba(out), booster.predict_proba(X))


def test_an_empty_table_makes_code_that_scores_nothing():
    source = treecode.c_source([])
    assert "SHIPPED_COUNT = 0;" in source and "b0(" not in source


def test_the_command_writes_the_table_of_a_model(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    small = BlockClassifier(members=1, max_iter=10, min_samples_leaf=5, n_folds=3)
    estimator = small.fit(X, y, pages=np.arange(300) // 20)
    path = tmp_path / "mine.joblib"
    save_model(Model(estimator, ["a", "b"], 0.5), path, {})
    done = subprocess.run([sys.executable, "-m", "boilerplate.treecode", str(path)], capture_output=True, text=True)
    if model_module._compiled_raw_scores is None:  # nothing to pack the trees with
        assert done.returncode == 1
        return
    assert done.returncode == 0, done.stderr
    assert "2 boosters" in done.stdout and not done.stderr
    table = treecode.load_table(tmp_path / "mine.trees.npz")
    expected = [model_module.pack_trees(b) for b in (*estimator.first_, *estimator.second_)]
    assert [treecode.fingerprint(b) for b in table] == [treecode.fingerprint(b) for b in expected]
    assert subprocess.run([sys.executable, "-m", "boilerplate.treecode"], capture_output=True).returncode == 2
