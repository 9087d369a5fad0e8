import json
import pickle
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier

from boilerplate import load_model as load_shipped_model
from boilerplate import model as model_module
from boilerplate.decision import PageDecision
from boilerplate.errors import ModelError
from boilerplate.model import CONTEXT_NAMES, SURE, BlockClassifier, Model, context_features, load_model, save_model
from boilerplate.model import card_path as card_path_of


def toy_data(seed=0, pages=30, per_page=20):
    """Blocks whose first feature says 'long text': content sits in a run in the middle of each page."""
    rng = np.random.default_rng(seed)
    X, y, page = [], [], []
    for p in range(pages):
        labels = np.zeros(per_page, dtype=int)
        start = rng.integers(3, 8)
        labels[start : start + 8] = 1
        feats = np.column_stack([labels * 2.0 + rng.normal(0, 1.0, per_page), rng.normal(0, 1, per_page)])
        X.append(feats)
        y.append(labels)
        page += [p] * per_page
    return np.vstack(X).astype(np.float32), np.concatenate(y), np.array(page)


def small():
    return BlockClassifier(members=1, max_iter=30, min_samples_leaf=5, n_folds=3)


@pytest.mark.skipif(model_module._compiled_context is None, reason="the compiled context is not built here")
def test_the_compiled_context_gives_numpys_columns_to_the_last_bit():
    rng = np.random.default_rng(4)
    for n in [0, 1, 2, 3, 5, 40, 600]:
        for _ in range(20):
            proba = rng.random(n)
            proba[rng.random(n) < 0.3] = 0.5  # ties, ranked in page order
            proba[rng.random(n) < 0.1] = 0.0
            pages = np.sort(rng.integers(0, 4, n))
            if n > 3 and rng.random() < 0.3:
                pages = rng.integers(0, 2, n)  # pages that come back: each run of rows is a page
            expected = model_module._python_context_features(proba, pages)
            got = context_features(proba, pages.astype(np.int32))
            assert got.dtype == np.float32 and got.shape == expected.shape == (n, len(CONTEXT_NAMES))
            assert np.array_equal(got, expected)
    column = np.column_stack([rng.random(50), rng.random(50)])[:, 1]  # a strided view, as the stages pass it
    assert np.array_equal(
        context_features(column, np.zeros(50)), model_module._python_context_features(column, np.zeros(50))
    )


def test_without_the_compiled_context_numpy_gives_it(monkeypatch):
    proba, pages = np.array([0.1, 0.9, 0.8, 0.2]), np.array([0, 0, 1, 1])
    expected = model_module._python_context_features(proba, pages)
    monkeypatch.setattr(model_module, "_compiled_context", None)
    assert np.array_equal(context_features(proba, pages), expected)


def test_context_features_respect_page_boundaries():
    proba = np.array([0.1, 0.9, 0.8, 0.2, 0.3])
    pages = np.array([0, 0, 0, 1, 1])
    ctx = context_features(proba, pages)
    assert ctx.shape == (5, len(CONTEXT_NAMES))
    prev1 = CONTEXT_NAMES.index("p_prev1")
    next1 = CONTEXT_NAMES.index("p_next1")
    assert ctx[3, prev1] == -1.0  # first block of the second page has no previous block
    assert ctx[2, next1] == -1.0
    assert ctx[1, prev1] == pytest.approx(0.1)
    mean = CONTEXT_NAMES.index("p_page_mean")
    assert ctx[4, mean] == pytest.approx(0.25)


def test_stacking_learns_and_is_deterministic():
    X, y, pages = toy_data()
    a = small().fit(X, y, pages=pages)
    b = small().fit(X, y, pages=pages)
    Xt, yt, pt = toy_data(seed=1, pages=10)
    pa = a.predict_proba(Xt, pages=pt)
    assert np.array_equal(pa, b.predict_proba(Xt, pages=pt))
    assert ((pa[:, 1] >= 0.5) == yt).mean() > 0.85


def test_the_second_stage_scores_only_the_blocks_the_first_is_unsure_of():
    X, y, pages = toy_data()
    clf = BlockClassifier(members=1, max_iter=60, learning_rate=0.3, min_samples_leaf=5, n_folds=3)
    clf.fit(X, y, pages=pages)
    Xt, _, pt = toy_data(seed=1, pages=10)
    first = clf.first_[0].predict_proba(Xt)[:, 1]
    second = clf.second_[0].predict_proba(np.hstack([Xt, context_features(first, pt)]))[:, 1]
    got = clf.predict_proba(Xt, pages=pt)[:, 1]
    sure = (first <= SURE) | (first >= 1 - SURE)
    assert 0 < sure.sum() < len(sure)  # both kinds occur in the toy data
    assert np.array_equal(got[sure], first[sure])
    assert np.allclose(got[~sure], second[~sure])


def test_members_are_seeded_apart_and_their_probabilities_averaged():
    X, y, pages = toy_data()
    Xt, _, pt = toy_data(seed=1, pages=10)
    two = BlockClassifier(members=2, max_iter=30, min_samples_leaf=5, n_folds=3, random_state=4).fit(X, y, pages=pages)
    assert len(two.first_) == len(two.second_) == 2
    assert [b.random_state for b in two.first_] == [4, 5]
    alone = [
        BlockClassifier(members=1, max_iter=30, min_samples_leaf=5, n_folds=3, random_state=seed).fit(X, y, pages=pages)
        for seed in (4, 5)
    ]
    mean = (alone[0].predict_proba(Xt, pages=pt) + alone[1].predict_proba(Xt, pages=pt)) / 2
    assert np.allclose(two.predict_proba(Xt, pages=pt), mean)


def test_sample_weights_steer_both_stages_and_are_checked():
    X, y, pages = toy_data()
    # Weigh the content blocks far down: the weighted model calls fewer blocks content than the plain one.
    light = np.where(y == 1, 0.05, 1.0)
    plain = small().fit(X, y, pages=pages).predict_proba(X, pages=pages)[:, 1]
    weighted = small().fit(X, y, pages=pages, sample_weight=light).predict_proba(X, pages=pages)[:, 1]
    assert weighted.mean() < plain.mean() - 0.05
    with pytest.raises(ValueError, match="sample_weight has shape"):
        small().fit(X, y, pages=pages, sample_weight=light[:-1])


def test_the_term_scorers_take_the_weights_too():
    X, y, pages = toy_data(pages=12)
    terms = {"classes": [["card"] if label else ["menu"] for label in y]}
    light = np.where(y == 1, 0.05, 1.0)
    plain = small().fit(X, y, pages=pages, terms=terms).term_scorers_["classes"]
    weighted = small().fit(X, y, pages=pages, terms=terms, sample_weight=light).term_scorers_["classes"]
    hashed = BlockClassifier()._hasher().transform([["card"]])
    assert weighted.predict_proba(hashed)[0, 1] < plain.predict_proba(hashed)[0, 1]


def test_a_model_saved_before_members_loads_as_one_member():
    X, y, pages = toy_data(pages=8)
    fitted = small().fit(X, y, pages=pages)
    state = dict(fitted.__getstate__())  # a copy: the state may be the instance's own dict
    state["first_"], state["second_"] = state["first_"][0], state["second_"][0]  # the format before members
    del state["members"]
    old = BlockClassifier.__new__(BlockClassifier)
    old.__setstate__(state)
    assert old.members == 1 and isinstance(old.first_, list) and len(old.second_) == 1
    assert np.array_equal(old.predict_proba(X, pages=pages), fitted.predict_proba(X, pages=pages))


def test_empty_input_predicts_nothing():
    X, y, pages = toy_data(pages=8)
    clf = small().fit(X, y, pages=pages)
    assert clf.predict_proba(np.zeros((0, 2))).shape == (0, 2)


def test_save_load_and_tamper(tmp_path):
    X, y, pages = toy_data(pages=8)
    model = Model(small().fit(X, y, pages=pages), ["a", "b"], 0.4)
    path = tmp_path / "toy.joblib"
    card_path = save_model(model, path, {"name": "toy"})
    card = json.loads(card_path.read_text())
    assert card["file"]["sha256"] and card_path.name == "toy.card.json"
    loaded = load_model(path, expected_features=["a", "b"])
    assert loaded.threshold == 0.4
    assert np.array_equal(loaded.scores(X, pages), model.scores(X, pages))
    with pytest.raises(ModelError, match="other features"):
        load_model(path, expected_features=["a", "c"])
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match its card"):
        load_model(path)


def test_missing_model_or_card(tmp_path):
    with pytest.raises(ModelError):
        load_model(tmp_path / "absent.joblib")
    (tmp_path / "lonely.joblib").write_bytes(b"not a model")
    with pytest.raises(ModelError, match=r"no model card.*trusted=True"):
        load_model(tmp_path / "lonely.joblib")


class Payload:
    """Unpickling this writes a file: what a hostile model file could do."""

    def __init__(self, target):
        self.target = str(target)

    def __reduce__(self):
        return (Path(self.target).write_text, ("ran",))


def test_a_model_without_a_card_never_runs_unless_trusted(tmp_path):
    import joblib

    ran = tmp_path / "ran.txt"
    path = tmp_path / "sent.joblib"
    joblib.dump(Payload(ran), path)
    with pytest.raises(ModelError, match="no model card"):
        load_model(path)
    assert not ran.exists()  # refused before unpickling
    with pytest.raises(ModelError, match="not a boilerplate model"):
        load_model(path, trusted=True)  # the caller vouched for it: it is unpickled, and is no model
    assert ran.exists()


def test_a_trusted_model_without_a_card_loads(tmp_path):
    X, y, pages = toy_data(pages=8)
    model = Model(small().fit(X, y, pages=pages), ["a", "b"], 0.4)
    path = tmp_path / "toy.joblib"
    save_model(model, path, {}).unlink()
    loaded = load_model(path, trusted=True)
    assert loaded.card == {} and np.array_equal(loaded.scores(X, pages), model.scores(X, pages))


def test_a_tampered_card_or_model_is_refused_even_if_trusted(tmp_path):
    X, y, pages = toy_data(pages=8)
    path = tmp_path / "toy.joblib"
    card_path = save_model(Model(small().fit(X, y, pages=pages), ["a", "b"]), path, {})
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(ModelError, match="does not match its card"):
        load_model(path, trusted=True)
    card_path.write_text("{not json")
    with pytest.raises(ModelError, match="unreadable"):
        load_model(path, trusted=True)


def test_the_shipped_model_is_refused_when_tampered(tmp_path):
    import shutil

    from boilerplate.api import default_model_path

    shipped = default_model_path()
    copy = tmp_path / shipped.name
    shutil.copy(shipped, copy)
    shutil.copy(card_path_of(shipped), card_path_of(copy))
    load_model(copy)  # an exact copy with its card loads
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0x01
    copy.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match its card"):
        load_model(copy)


def test_other_sklearn_version_is_named(tmp_path):
    from boilerplate.model import ModelVersionWarning

    X, y, pages = toy_data(pages=8)
    path = tmp_path / "old.joblib"
    card_path = save_model(Model(small().fit(X, y, pages=pages), ["a", "b"]), path, {"library_versions": {}})
    card = json.loads(card_path.read_text())
    card["library_versions"]["scikit-learn"] = "0.24.2"
    card_path.write_text(json.dumps(card))
    with pytest.warns(ModelVersionWarning, match=r"0\.24\.2.*scikit-learn \d"):
        load_model(path)


def test_presets_resolve_to_cuts():
    X, y, pages = toy_data(pages=8)
    model = Model(
        small().fit(X, y, pages=pages), ["a", "b"], 0.5, presets={"favor_precision": 0.7, "favor_recall": 0.3}
    )
    assert model.cut() == 0.5 and model.cut("balanced") == 0.5
    assert model.cut("favor_precision") == 0.7 and model.cut("favor_recall") == 0.3
    assert model.cut(0.42) == 0.42
    with pytest.raises(ValueError):
        model.cut("nonsense")


def test_the_page_decision_is_saved_with_the_model_and_read_back(tmp_path):
    X, y, pages = toy_data(pages=8)
    decision = PageDecision(power=1.0, floor=0.1, short_words=3, short_penalty=0.25, block_weight=0.003)
    model = Model(small().fit(X, y, pages=pages), ["a", "b"], 0.5, decision=decision)
    path = tmp_path / "decided.joblib"
    save_model(model, path, {})
    assert load_model(path).decision == decision
    save_model(Model(model.estimator, ["a", "b"], 0.5), path, {})
    assert load_model(path).decision is None  # one cut for every page
    scores, words = np.array([0.9, 0.4, 0.0]), np.array([7.0, 1.0, 1.0])
    assert load_model(path).decide(scores, words) is scores
    assert model.decide(scores, words).tolist() == decision.adjust(scores, words).tolist()


def test_a_model_file_from_before_the_page_decision_loads_with_one_cut(tmp_path):
    X, y, pages = toy_data(pages=8)
    path = tmp_path / "old.joblib"
    save_model(Model(small().fit(X, y, pages=pages), ["a", "b"], 0.5), path, {})
    payload = joblib.load(path)
    del payload["decision"]
    joblib.dump(payload, path)
    save_model_card_again(path)
    assert load_model(path).decision is None
    # A model from before each block had its own cut: no block weight, the step for short blocks.
    payload["decision"] = {"power": 2.0, "floor": 0.15, "short_words": 2, "short_penalty": 0.5}
    joblib.dump(payload, path)
    save_model_card_again(path)
    assert load_model(path).decision == PageDecision(block_weight=0.0, short_penalty=0.5)
    payload["decision"] = {"power": 2.0, "lookahead": 3}  # a setting this version does not know
    joblib.dump(payload, path)
    save_model_card_again(path)
    with pytest.raises(ModelError, match="page decision settings"):
        load_model(path)


def save_model_card_again(path):
    """Record a rewritten model file's sha256 in its card, as save_model would."""
    card = json.loads(card_path_of(path).read_text())
    card["file"]["sha256"] = model_module.sha256_of(path)
    card_path_of(path).write_text(json.dumps(card))


def toy_terms(y, seed=0):
    """Terms that say the label through a word ("story" or "basket"), with shared noise words around it."""
    rng = np.random.default_rng(seed)
    noise = [f"w:n{i}" for i in range(40)]
    words = [["w:story" if label else "w:basket", *rng.choice(noise, 5).tolist()] for label in y]
    markup = [["t:p"] for _ in y]
    return {"words": words, "markup": markup}


def test_term_scorers_carry_what_the_features_do_not():
    X, y, pages = toy_data(pages=24)
    noise = np.random.default_rng(3).normal(size=X.shape).astype(np.float32)  # features that say nothing
    clf = small().fit(noise, y, pages=pages, terms=toy_terms(y))
    assert clf.term_groups_ == ("words", "markup")
    Xt, yt, pt = toy_data(seed=1, pages=8)
    test_noise = np.random.default_rng(4).normal(size=Xt.shape).astype(np.float32)
    proba = clf.predict_proba(test_noise, pages=pt, terms=toy_terms(yt, seed=1))[:, 1]
    assert ((proba >= 0.5) == yt).mean() > 0.95
    without = small().fit(noise, y, pages=pages).predict_proba(test_noise, pages=pt)[:, 1]
    assert ((without >= 0.5) == yt).mean() < 0.8


def test_a_model_reading_a_term_group_this_version_does_not_make_is_refused_at_load(tmp_path):
    X, y, pages = toy_data(pages=12)
    terms = {**toy_terms(y), "section": [["s:more", "s:on"] for _ in y]}
    path = tmp_path / "other.joblib"
    save_model(Model(small().fit(X, y, pages=pages, terms=terms), ["a", "b"], 0.5), path, {"name": "toy"})
    with pytest.raises(ModelError, match=r"term group\(s\) section, which this version"):
        load_model(path)
    save_model(Model(small().fit(X, y, pages=pages, terms=toy_terms(y)), ["a", "b"], 0.5), path, {"name": "toy"})
    assert load_model(path).estimator.term_groups_ == ("words", "markup")


def test_term_scores_are_the_scikit_learn_pipelines_without_its_sparse_matrices(monkeypatch):
    X, y, pages = toy_data(pages=12)
    clf = small().fit(X, y, pages=pages, terms=toy_terms(y))
    shared = ["t:p", "c:card", "cp:card"]
    rows = [
        ["w:story", "w:story", "w:n1"],  # a term twice counts twice, as FeatureHasher counts it
        [],  # no terms: the intercept alone
        shared,
        ["w:музей", "w:日本語", "w:n3", "w:unseen-in-training"],
        shared,  # the same list again is scored once and given twice
        ["w:basket", *[f"w:n{i}" for i in range(40)]],
    ]
    monkeypatch.setattr(model_module, "_TERM_CACHE", 4)  # the remembered columns start afresh mid-page
    index = model_module._TermIndex(clf.term_features)
    for group in clf.term_groups_:
        scorer = clf.term_scorers_[group]
        expected = scorer.predict_proba(clf._hasher().transform(rows))[:, 1]
        got = model_module._linear_term_scores(rows, scorer, index)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
        # A page whose blocks have no terms at all (a lone "<" in a body): the intercept alone, not an error.
        nothing = [[], []]
        expected = scorer.predict_proba(clf._hasher().transform(nothing))[:, 1]
        np.testing.assert_allclose(
            model_module._linear_term_scores(nothing, scorer, index), expected, rtol=0, atol=1e-12
        )
    assert len(index) <= 4


def test_use_terms_false_fits_no_term_scorers_even_when_terms_are_given():
    X, y, pages = toy_data(pages=8)
    clf = BlockClassifier(members=1, max_iter=30, min_samples_leaf=5, n_folds=3, use_terms=False)
    clf.fit(X, y, pages=pages, terms=toy_terms(y))
    assert clf.term_groups_ == () and clf.term_scorers_ == {}
    assert np.array_equal(
        clf.predict_proba(X, pages=pages), small().fit(X, y, pages=pages).predict_proba(X, pages=pages)
    )


def test_a_model_with_terms_needs_them_with_one_row_each():
    X, y, pages = toy_data(pages=8)
    clf = small().fit(X, y, pages=pages, terms=toy_terms(y))
    with pytest.raises(ValueError, match="pass terms"):
        clf.predict_proba(X, pages=pages)
    short = {group: rows[:-1] for group, rows in toy_terms(y).items()}
    with pytest.raises(ValueError, match="rows"):
        clf.predict_proba(X, pages=pages, terms=short)


def test_a_model_pickled_before_a_parameter_existed_gets_its_default():
    X, y, pages = toy_data(pages=8)
    clf = small().fit(X, y, pages=pages)
    expected = clf.predict_proba(X, pages=pages)
    del clf.term_c, clf.term_features, clf.use_terms  # as in a file saved before the term scorers existed
    with pytest.raises(AttributeError):
        clf.get_params()
    old = pickle.loads(pickle.dumps(clf))
    params = old.get_params()
    assert params["term_c"] == 1.0 and params["term_features"] == 2**18 and params["use_terms"]
    assert params["max_iter"] == 30
    assert np.array_equal(old.predict_proba(X, pages=pages), expected)
    assert clone(old).get_params() == params


def test_the_shipped_estimator_shows_and_clones():
    estimator = load_shipped_model().estimator
    assert repr(estimator).startswith("BlockClassifier(")
    assert clone(estimator).get_params() == estimator.get_params()


# The compiled tree walk (boilerplate/_trees.pyx) must give scikit-learn's probabilities to the last bit.

compiled_trees = pytest.mark.skipif(
    model_module._compiled_raw_scores is None,
    reason="the compiled tree walk is not built in this installation (no C compiler at install): scikit-learn scores",
)


def rows_for(booster, seed: int = 1) -> np.ndarray:
    """Rows around the booster's thresholds, many on round values, with missing values among them."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0, 2, (500, booster.n_features_in_)).astype(np.float32)
    X[rng.random(X.shape) < 0.05] = np.nan  # missing values go the way each split learned
    X[:100] = np.round(X[:100])  # many rows on round thresholds
    return X


@compiled_trees
def test_the_compiled_tree_walk_gives_scikit_learns_probabilities_for_the_shipped_model():
    from boilerplate._trees import raw_scores

    estimator = load_shipped_model().estimator
    for booster in (*estimator.first_, *estimator.second_):
        trees = model_module.pack_trees(booster)
        assert trees is not None, "the shipped boosters are packed"
        X = rows_for(booster)
        assert np.array_equal(booster._loss.predict_proba(raw_scores(X, *trees)), booster.predict_proba(X))
        assert np.array_equal(model_module.booster_proba(booster, X), booster.predict_proba(X))


@compiled_trees  # where the walk was compiled, the shipped model's trees were compiled with it
def test_the_shipped_models_boosters_are_scored_by_their_compiled_code():
    from boilerplate._trees import raw_scores, shipped_raw_scores

    from boilerplate.treecode import fingerprint

    estimator = load_shipped_model().estimator
    boosters = (*estimator.first_, *estimator.second_)
    indexes = [model_module._SHIPPED.get(fingerprint(model_module.pack_trees(b))) for b in boosters]
    assert None not in indexes and sorted(indexes) == list(range(len(boosters))), "each booster has its code"
    for booster, index in zip(boosters, indexes, strict=True):
        trees = model_module.pack_trees(booster)
        X = rows_for(booster, seed=index)
        assert np.array_equal(shipped_raw_scores(index, X, trees[3]), raw_scores(X, *trees))
        assert np.array_equal(shipped_raw_scores(index, X[:0], trees[3]), np.zeros(0))
        assert model_module._scorer(booster).shipped == index
    with pytest.raises(IndexError):
        shipped_raw_scores(len(boosters), rows_for(boosters[0]), 0.0)


@compiled_trees
def test_a_booster_of_another_model_is_walked_from_its_arrays():
    X, y, pages = toy_data()
    booster = small().fit(X, y, pages=pages).first_[0]
    assert model_module._scorer(booster).shipped is None  # walked: its trees are not the shipped ones
    assert np.array_equal(model_module.booster_proba(booster, X), booster.predict_proba(X))


@compiled_trees
def test_the_compiled_tree_walk_follows_learned_missing_values_and_stands_aside_for_categories():
    rng = np.random.default_rng(2)
    X = rng.normal(0, 1, (400, 3)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    X[rng.random(400) < 0.2, 0] = np.nan  # missing values seen in fit: each split learns where they go
    booster = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(X, y)
    assert model_module.pack_trees(booster) is not None
    assert np.array_equal(model_module.booster_proba(booster, X), booster.predict_proba(X))
    with pytest.raises(ValueError, match="expects 3"):
        model_module.booster_proba(booster, X[:, :2])
    Xc = np.column_stack([rng.integers(0, 4, 400), X[:, 1]]).astype(np.float32)
    categorical = HistGradientBoostingClassifier(max_iter=5, categorical_features=[0]).fit(Xc, y)
    assert model_module.pack_trees(categorical) is None  # scikit-learn scores categorical splits itself
    assert np.array_equal(model_module.booster_proba(categorical, Xc), categorical.predict_proba(Xc))


def test_without_the_compiled_tree_walk_scikit_learn_scores(monkeypatch):
    monkeypatch.setattr(model_module, "_compiled_raw_scores", None)
    X, y, pages = toy_data()
    fitted = small().fit(X, y, pages=pages)
    booster = fitted.first_[0]
    assert np.array_equal(model_module.booster_proba(booster, X), booster.predict_proba(X))
