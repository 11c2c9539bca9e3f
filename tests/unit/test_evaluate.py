"""Evaluation against labels: metrics by hand, label files, calibration and ``dedup eval``."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

import dedup
from dedup import Article, InputError
from dedup.calibrate import DEFAULT_THRESHOLDS, precision_recall_curve, suggest_threshold
from dedup.evaluate import load_ignore, load_labels, predicted_labels, score_clusters
from dedup.report import render_json
from tests.support.cli import assert_clean_error, err, out, run
from tests.support.prose import ProseMaker


def approx(value):
    """An exact value (a Fraction), compared as a float."""
    return pytest.approx(float(value), abs=1e-12)


# --- score_clusters on hand-computed examples ---------------------------------------------------


def test_perfect_prediction():
    truth = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "3"}
    # Other cluster names; "e" is absent from the prediction, i.e. a predicted singleton.
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y"}
    s = score_clusters(truth, predicted)
    assert (s.articles, s.true_pairs, s.predicted_pairs, s.true_positives) == (5, 2, 2, 2)
    assert s.precision == s.recall == s.f1 == 1.0
    assert s.ari == approx(1)
    assert s.bcubed_precision == s.bcubed_recall == s.bcubed_f1 == 1.0
    assert s.false_positives == s.false_negatives == ()


def test_everything_merged():
    truth = {"a": "1", "b": "1", "c": "2", "d": "3"}
    s = score_clusters(truth, dict.fromkeys(truth, "x"))
    # 6 predicted pairs, 1 true pair (a, b), which is found.
    assert (s.true_pairs, s.predicted_pairs, s.true_positives) == (1, 6, 1)
    assert s.precision == approx(Fraction(1, 6))
    assert s.recall == 1.0
    assert s.f1 == approx(Fraction(2, 7))
    # One predicted cluster: the Rand index is exactly what chance gives.
    assert s.ari == approx(0)
    # B-cubed precision: a, b share 2 of 4; c, d share 1 of 4 -> (.5 + .5 + .25 + .25) / 4.
    assert s.bcubed_precision == approx(Fraction(3, 8))
    assert s.bcubed_recall == 1.0
    assert s.bcubed_f1 == approx(Fraction(6, 11))
    assert set(s.false_positives) == {("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "d")}
    assert s.false_negatives == ()


def test_everything_split():
    truth = {"a": "1", "b": "1", "c": "1", "d": "2"}
    s = score_clusters(truth, {})
    assert (s.true_pairs, s.predicted_pairs, s.true_positives) == (3, 0, 0)
    assert s.precision == 1.0  # no predicted pair: nothing predicted wrongly
    assert s.recall == 0.0
    assert s.f1 == 0.0
    assert s.ari == approx(0)
    assert s.bcubed_precision == 1.0
    # B-cubed recall: a, b, c each find 1 of 3, d finds 1 of 1 -> (1/3 * 3 + 1) / 4.
    assert s.bcubed_recall == approx(Fraction(1, 2))
    assert s.bcubed_f1 == approx(Fraction(2, 3))
    assert s.false_negatives == (("a", "b"), ("a", "c"), ("b", "c"))
    # Singleton labels for every id give the same scores as an empty prediction.
    assert score_clusters(truth, {i: i for i in truth}) == s


def test_two_plus_two_against_four():
    two_two = {"a": "1", "b": "1", "c": "2", "d": "2"}
    four = dict.fromkeys(two_two, "x")
    merged = score_clusters(two_two, four)
    assert (merged.true_pairs, merged.predicted_pairs, merged.true_positives) == (2, 6, 2)
    assert merged.precision == approx(Fraction(1, 3))
    assert merged.recall == 1.0
    assert merged.f1 == approx(Fraction(1, 2))
    assert merged.ari == approx(0)
    assert merged.bcubed_precision == approx(Fraction(1, 2))
    assert merged.bcubed_recall == 1.0
    assert merged.bcubed_f1 == approx(Fraction(2, 3))
    assert merged.false_positives == (("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"))

    split = score_clusters(four, two_two)
    assert (split.true_pairs, split.predicted_pairs, split.true_positives) == (6, 2, 2)
    assert split.precision == 1.0
    assert split.recall == approx(Fraction(1, 3))
    assert split.f1 == approx(Fraction(1, 2))
    assert split.bcubed_precision == 1.0
    assert split.bcubed_recall == approx(Fraction(1, 2))


def test_bcubed_and_ari_by_hand():
    # True {a, b, c} {d, e}; predicted {a, b, d} {c} {e}.
    truth = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
    predicted = {"a": "x", "b": "x", "d": "x", "c": "y", "e": "z"}
    s = score_clusters(truth, predicted)
    # Per article (precision, recall): |pred ∩ true| / |pred|, |pred ∩ true| / |true|.
    per_article = {
        "a": (Fraction(2, 3), Fraction(2, 3)),
        "b": (Fraction(2, 3), Fraction(2, 3)),
        "c": (Fraction(1, 1), Fraction(1, 3)),
        "d": (Fraction(1, 3), Fraction(1, 2)),
        "e": (Fraction(1, 1), Fraction(1, 2)),
    }
    bp = sum(p for p, _ in per_article.values()) / 5
    br = sum(r for _, r in per_article.values()) / 5
    assert (bp, br) == (Fraction(11, 15), Fraction(8, 15))
    assert s.bcubed_precision == approx(bp)
    assert s.bcubed_recall == approx(br)
    assert s.bcubed_f1 == approx(Fraction(176, 285))
    # Pairwise: true ab ac bc de; predicted ab ad bd.
    assert (s.true_pairs, s.predicted_pairs, s.true_positives) == (4, 3, 1)
    assert s.precision == approx(Fraction(1, 3))
    assert s.recall == approx(Fraction(1, 4))
    assert s.false_positives == (("a", "d"), ("b", "d"))
    assert s.false_negatives == (("a", "c"), ("b", "c"), ("d", "e"))
    # ARI from the contingency table: index = C(2,2) = 1; rows C(3,2)+C(2,2) = 4;
    # columns C(3,2) = 3; expected 4*3/C(5,2) = 1.2; max (4+3)/2 = 3.5.
    assert s.ari == approx((Fraction(1) - Fraction(6, 5)) / (Fraction(7, 2) - Fraction(6, 5)))
    assert s.ari == approx(Fraction(-2, 23))


def test_ignored_pairs_leave_both_counts():
    truth = {"a": "1", "b": "1", "c": "1"}
    predicted = {"a": "x", "b": "x", "c": "y"}
    plain = score_clusters(truth, predicted)
    assert (plain.true_pairs, plain.predicted_pairs, plain.true_positives) == (3, 1, 1)
    assert plain.recall == approx(Fraction(1, 3))

    # A true pair that was missed: ignored, it no longer costs recall (given in either order).
    missed = score_clusters(truth, predicted, ignore=[("c", "b")])
    assert (missed.true_pairs, missed.predicted_pairs, missed.true_positives) == (2, 1, 1)
    assert missed.ignored_pairs == 1
    assert missed.recall == approx(Fraction(1, 2))
    assert missed.false_negatives == (("a", "c"),)

    # A pair both predicted and true: ignored, it leaves both counts.
    found = score_clusters(truth, predicted, ignore=[("a", "b")])
    assert (found.true_pairs, found.predicted_pairs, found.true_positives) == (2, 0, 0)
    assert found.precision == 1.0 and found.recall == 0.0

    # A predicted pair that is wrong: ignored, it no longer costs precision.
    wrong = score_clusters(
        {"a": "1", "b": "2", "c": "3"}, {"a": "x", "b": "x"}, ignore=[("b", "a")]
    )
    assert (wrong.true_pairs, wrong.predicted_pairs) == (0, 0)
    assert wrong.precision == wrong.recall == 1.0
    assert wrong.false_positives == ()
    assert score_clusters({"a": "1", "b": "2", "c": "3"}, {"a": "x", "b": "x"}).precision == 0.0


def test_ignore_does_not_change_ari_or_bcubed():
    truth = {"a": "1", "b": "1", "c": "2"}
    predicted = {"a": "x", "c": "x"}
    plain = score_clusters(truth, predicted)
    ignoring = score_clusters(truth, predicted, ignore=[("a", "c"), ("a", "b")])
    assert ignoring.ari == plain.ari
    assert (ignoring.bcubed_precision, ignoring.bcubed_recall) == (
        plain.bcubed_precision,
        plain.bcubed_recall,
    )
    assert (plain.precision, ignoring.precision) == (0.0, 1.0)


def test_predicted_ids_without_labels_are_ignored():
    truth = {"a": "1", "b": "1", "c": "2"}
    base = score_clusters(truth, {"a": "x", "b": "x"})
    # q and r are clustered with labelled ids but not labelled: they change nothing.
    extra = score_clusters(truth, {"a": "x", "b": "x", "q": "x", "c": "y", "r": "y"})
    assert extra.articles == 3
    assert (extra.true_pairs, extra.predicted_pairs, extra.true_positives) == (1, 1, 1)
    assert extra.precision == extra.recall == extra.bcubed_precision == extra.bcubed_recall == 1.0
    assert extra.ari == approx(1)
    assert (extra.precision, extra.recall, extra.ari, extra.bcubed_f1) == (
        base.precision,
        base.recall,
        base.ari,
        base.bcubed_f1,
    )


def test_labelled_ids_missing_from_prediction_are_singletons():
    truth = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
    s = score_clusters(truth, {"a": "x", "b": "x"})
    # c, d, e are predicted alone (and not together, although all are missing).
    assert (s.true_pairs, s.predicted_pairs, s.true_positives) == (4, 1, 1)
    assert s.precision == 1.0
    assert s.recall == approx(Fraction(1, 4))
    assert s.bcubed_precision == 1.0
    # Recall per article: a 2/3, b 2/3, c 1/3, d 1/2, e 1/2.
    assert s.bcubed_recall == approx(Fraction(8, 3) / 5)
    assert s.ari == approx(adjusted_rand_score(list("11122"), ["x", "x", "c", "d", "e"]))


def test_as_dict_carries_scores_and_pairs():
    s = score_clusters({"a": "1", "b": "1", "c": "2"}, {"a": "x", "c": "x"})
    data = s.as_dict()
    assert data["precision"] == 0.0 and data["recall"] == 0.0
    assert data["false_positives"] == [["a", "c"]]
    assert data["false_negatives"] == [["a", "b"]]
    json.dumps(data)


# --- properties on random labelings ------------------------------------------------------------


@st.composite
def labelings(draw):
    n = draw(st.integers(min_value=2, max_value=14))
    ids = [f"id{i:02d}" for i in range(n)]
    truth = {i: str(draw(st.integers(0, 4))) for i in ids}
    # None: not in the prediction (a predicted singleton). Extra unlabelled ids too.
    predicted = {}
    for i in ids + ["zz1", "zz2"]:
        label = draw(st.one_of(st.none(), st.integers(0, 4)))
        if label is not None:
            predicted[i] = f"p{label}"
    pairs = list(itertools.combinations(ids, 2))
    ignore = draw(st.lists(st.sampled_from(pairs), max_size=5)) if pairs else []
    ignore = [(b, a) if k % 2 else (a, b) for k, (a, b) in enumerate(ignore)]
    return truth, predicted, ignore


@settings(max_examples=80, deadline=None)
@given(labelings())
def test_ari_equals_sklearn(case):
    truth, predicted, ignore = case
    ids = sorted(truth)
    pred = [predicted.get(i, "single:" + i) for i in ids]
    expected = adjusted_rand_score([truth[i] for i in ids], pred)
    assert score_clusters(truth, predicted, ignore).ari == pytest.approx(expected, abs=1e-12)


@settings(max_examples=80, deadline=None)
@given(labelings())
def test_pairwise_counts_equal_brute_force(case):
    truth, predicted, ignore = case
    ignored = {tuple(sorted(p)) for p in ignore}
    true_pairs, pred_pairs = set(), set()
    for a, b in itertools.combinations(sorted(truth), 2):
        if (a, b) in ignored:
            continue
        if truth[a] == truth[b]:
            true_pairs.add((a, b))
        if a in predicted and b in predicted and predicted[a] == predicted[b]:
            pred_pairs.add((a, b))
    hits = true_pairs & pred_pairs
    s = score_clusters(truth, predicted, ignore)
    assert (s.true_pairs, s.predicted_pairs, s.true_positives) == (
        len(true_pairs),
        len(pred_pairs),
        len(hits),
    )
    assert s.precision == (len(hits) / len(pred_pairs) if pred_pairs else 1.0)
    assert s.recall == (len(hits) / len(true_pairs) if true_pairs else 1.0)
    assert set(s.false_positives) == pred_pairs - true_pairs
    assert set(s.false_negatives) == true_pairs - pred_pairs


@settings(max_examples=80, deadline=None)
@given(labelings())
def test_bcubed_equals_brute_force(case):
    truth, predicted, _ = case
    ids = sorted(truth)
    pred = {i: predicted.get(i, "single:" + i) for i in ids}
    bp = br = Fraction(0)
    for i in ids:
        same_pred = {j for j in ids if pred[j] == pred[i]}
        same_true = {j for j in ids if truth[j] == truth[i]}
        bp += Fraction(len(same_pred & same_true), len(same_pred))
        br += Fraction(len(same_pred & same_true), len(same_true))
    s = score_clusters(truth, predicted)
    assert s.bcubed_precision == pytest.approx(float(bp / len(ids)), abs=1e-12)
    assert s.bcubed_recall == pytest.approx(float(br / len(ids)), abs=1e-12)


# --- label and ignore files ---------------------------------------------------------------------


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_load_labels_happy_path(tmp_path):
    path = write(
        tmp_path / "labels.csv",
        "id,cluster,note\n a.txt , 1 ,x\nb.txt,1,\nc.txt,2,y\na.txt,1,again\n",
    )
    assert load_labels(path) == {"a.txt": "1", "b.txt": "1", "c.txt": "2"}
    assert load_labels(str(path)) == load_labels(path)


def test_load_ignore_happy_path(tmp_path):
    path = write(tmp_path / "ignore.csv", "id_a,id_b,reason\nb,a,judgement call\nc,d,\n")
    assert load_ignore(path) == [("a", "b"), ("c", "d")]
    assert load_ignore(write(tmp_path / "two.csv", "id_b,id_a\nx,y\n")) == [("x", "y")]


def test_load_labels_missing_column(tmp_path):
    path = write(tmp_path / "labels.csv", "id,group\na,1\n")
    with pytest.raises(
        InputError,
        match=r"labels\.csv: missing column\(s\) cluster; the header must include id,cluster",
    ):
        load_labels(path)


def test_load_ignore_missing_column(tmp_path):
    path = write(tmp_path / "ignore.csv", "first,id_b\na,b\n")
    with pytest.raises(InputError, match=r"missing column\(s\) id_a"):
        load_ignore(path)


def test_load_labels_empty_file_names_the_columns(tmp_path):
    with pytest.raises(InputError, match=r"missing column\(s\) id, cluster"):
        load_labels(write(tmp_path / "empty.csv", ""))


def test_load_labels_empty_value_names_file_and_line(tmp_path):
    path = write(tmp_path / "labels.csv", "id,cluster\na,1\nb,  \nc,2\n")
    with pytest.raises(InputError, match=r"labels\.csv:3: empty id or cluster value"):
        load_labels(path)


def test_load_ignore_empty_value_names_file_and_line(tmp_path):
    path = write(tmp_path / "ignore.csv", "id_a,id_b\na,b\nc,d\n,e\n")
    with pytest.raises(InputError, match=r"ignore\.csv:4: empty id_a or id_b value"):
        load_ignore(path)


def test_load_labels_line_number_counts_blank_lines(tmp_path):
    path = write(tmp_path / "labels.csv", "id,cluster\n\na,1\nb,\n")
    with pytest.raises(InputError, match=r"labels\.csv:4: empty id or cluster value"):
        load_labels(path)


def test_load_labels_id_labelled_twice(tmp_path):
    path = write(tmp_path / "labels.csv", "id,cluster\na,1\nb,1\na,2\n")
    with pytest.raises(
        InputError, match=r"labels\.csv:4: id 'a' is labelled twice with different clusters"
    ):
        load_labels(path)


def test_load_labels_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"nope\.csv: no such file"):
        load_labels(tmp_path / "nope.csv")
    with pytest.raises(InputError, match=r"nope\.csv: no such file"):
        load_ignore(tmp_path / "nope.csv")


def test_load_labels_not_utf8(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_bytes("id,cluster\ncaf\xe9,1\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"labels\.csv: cannot read CSV"):
        load_labels(path)


def test_load_labels_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_bytes(b"\xef\xbb\xbfid,cluster\na,1\nb,1\n")
    assert load_labels(path) == {"a": "1", "b": "1"}


# --- predicted labels ---------------------------------------------------------------------------


def story_corpus() -> tuple[list[Article], dict[str, str]]:
    """Three stories, each with an exact copy and an excerpt; hard negatives; two others.

    The excerpt of story k is its first two paragraphs plus k new ones, so it is
    contained in the story to 1.0, 76/116 = 0.66 and 76/156 = 0.49. The hard negative
    nk shares one paragraph (36 of its 156 shingles, 0.23) with story k.
    """
    prose = ProseMaker()
    articles: list[Article] = []
    labels: dict[str, str] = {}
    stories = []
    for k in range(3):
        paragraphs = [prose.make(40) for _ in range(6)]
        stories.append(paragraphs)
        story = "\n\n".join(paragraphs)
        excerpt = "\n\n".join(paragraphs[:2] + [prose.make(40) for _ in range(k)])
        for name, text in ((f"s{k}", story), (f"s{k}-copy", story), (f"s{k}-excerpt", excerpt)):
            articles.append(Article(name, text))
            labels[name] = f"story{k}"
    for k in range(3):
        negative = "\n\n".join([prose.make(40), stories[k][3], prose.make(40), prose.make(40)])
        articles.append(Article(f"n{k}", negative))
        labels[f"n{k}"] = f"n{k}"
    for name in ("u1", "u2"):
        articles.append(Article(name, "\n\n".join(prose.make(40) for _ in range(4))))
        labels[name] = name
    return articles, labels


@pytest.fixture(scope="module")
def corpus():
    return story_corpus()


def test_predicted_labels_from_result_and_from_json_agree(corpus):
    articles, _ = corpus
    result = dedup.deduplicate(articles)
    from_result = predicted_labels(result)
    from_json = predicted_labels(json.loads(render_json(result)))
    assert from_result == from_json
    assert len(result.clusters) == 3
    assert set(from_result) == {m.id for c in result.clusters for m in c.members}
    for cluster in result.clusters:
        assert {from_result[m.id] for m in cluster.members} == {cluster.cluster_id}
    assert not set(result.singletons) & set(from_result)


def test_predicted_labels_of_empty_result():
    assert predicted_labels(dedup.deduplicate([])) == {}
    assert predicted_labels({"clusters": []}) == {}


# --- calibration --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def curve(corpus):
    articles, labels = corpus
    return precision_recall_curve(articles, labels)


def test_curve_is_in_increasing_threshold_order(curve):
    thresholds = [t for t, _ in curve]
    assert thresholds == sorted(DEFAULT_THRESHOLDS)
    assert thresholds == sorted(set(thresholds))
    articles, labels = story_corpus()
    shuffled = precision_recall_curve(articles, labels, thresholds=(0.9, 0.3, 0.6, 0.3))
    assert [t for t, _ in shuffled] == [0.3, 0.6, 0.9]


def test_curve_recall_does_not_rise_with_the_threshold(curve):
    recalls = [s.recall for _, s in curve]
    assert all(later <= earlier for earlier, later in itertools.pairwise(recalls))
    # The corpus makes the curve move: excerpts fall out as the threshold passes their
    # containment (0.49, 0.66), the hard negatives only join at 0.2.
    scores = dict(curve)
    assert scores[0.2].recall == scores[0.45].recall == 1.0
    assert scores[0.5].recall < 1.0
    assert scores[0.7].recall < scores[0.5].recall
    assert scores[0.2].precision < 1.0
    assert scores[0.25].precision == 1.0


def test_curve_scores_equal_a_plain_run_at_each_threshold(corpus, curve):
    articles, labels = corpus
    for threshold, scores in curve:
        plain = score_clusters(
            labels, predicted_labels(dedup.deduplicate(articles, threshold=threshold))
        )
        assert scores == plain, threshold
        assert (scores.false_positives, scores.false_negatives) == (
            plain.false_positives,
            plain.false_negatives,
        )


def test_suggest_threshold_is_the_lowest_reaching_the_target(curve):
    scores = dict(curve)
    assert suggest_threshold(curve, 1.0) == 0.25
    lowest_precision = scores[0.2].precision
    assert suggest_threshold(curve, lowest_precision) == 0.2
    assert suggest_threshold(curve, (lowest_precision + 1.0) / 2) == 0.25
    # Only the thresholds whose precision falls short: nothing to suggest.
    assert suggest_threshold([(0.2, scores[0.2])], 1.0) is None
    assert suggest_threshold([], 0.5) is None
    for target in (0.1, 0.5, 0.9, 0.99, 1.0):
        reaching = [t for t, s in curve if s.precision >= target]
        assert suggest_threshold(curve, target) == (min(reaching) if reaching else None)


# --- the dedup eval command ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def eval_files(tmp_path_factory, corpus):
    articles, labels = corpus
    folder = tmp_path_factory.mktemp("eval")
    feed = folder / "feed.jsonl"
    feed.write_text(
        "".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in articles), encoding="utf-8"
    )
    label_file = folder / "labels.csv"
    label_file.write_text(
        "id,cluster\n" + "".join(f"{i},{c}\n" for i, c in labels.items()), encoding="utf-8"
    )
    return feed, label_file


def test_eval_text_output(eval_files, corpus):
    feed, label_file = eval_files
    articles, labels = corpus
    # At threshold 0.2 the hard negatives join the stories: there are wrong pairs to list.
    expected = score_clusters(labels, predicted_labels(dedup.deduplicate(articles, threshold=0.2)))
    assert expected.false_positives and expected.precision < 1.0
    proc = run("eval", str(feed), "--labels", str(label_file), "--threshold", "0.2")
    assert proc.returncode == 0, err(proc)
    assert err(proc) == ""
    text = out(proc)
    assert f"{label_file}: 14 labelled articles, {expected.true_pairs} true pairs" in text
    assert (
        f"  pairwise  precision {expected.precision:.4f}  recall {expected.recall:.4f}  F1 {expected.f1:.4f}\n"
        in text
    )
    assert (
        f"  B-cubed   precision {expected.bcubed_precision:.4f}  recall {expected.bcubed_recall:.4f}"
        f"  F1 {expected.bcubed_f1:.4f}\n" in text
    )
    assert f"  ARI {expected.ari:.4f}\n" in text
    assert f"false positives ({len(expected.false_positives)}): " in text
    a, b = expected.false_positives[0]
    assert f"{a}~{b}" in text


@pytest.fixture(scope="module")
def eval_json(eval_files):
    feed, label_file = eval_files
    proc = run("eval", str(feed), "--labels", str(label_file), "--format", "json")
    assert proc.returncode == 0, err(proc)
    return json.loads(out(proc))


def test_eval_json_output(eval_json, corpus):
    articles, labels = corpus
    assert {"precision", "recall", "f1", "ari", "bcubed_f1"} <= set(eval_json)
    expected = score_clusters(labels, predicted_labels(dedup.deduplicate(articles)))
    assert eval_json == json.loads(json.dumps(expected.as_dict()))
    assert eval_json["articles"] == 14
    assert eval_json["recall"] < 1.0  # the default 0.5 drops the 0.49 excerpt


def test_eval_of_a_saved_report_equals_eval_of_the_inputs(eval_files, eval_json, tmp_path):
    feed, label_file = eval_files
    report = run("report", str(feed), "--format", "json")
    assert report.returncode == 0, err(report)
    saved = tmp_path / "result.json"
    saved.write_bytes(report.stdout)
    from_result = run(
        "eval", "--result", str(saved), "--labels", str(label_file), "--format", "json"
    )
    assert from_result.returncode == 0, err(from_result)
    assert json.loads(out(from_result)) == eval_json


def test_eval_calibrate_prints_the_curve_and_a_suggestion(eval_files, curve):
    feed, label_file = eval_files
    proc = run(
        "eval", str(feed), "--labels", str(label_file), "--calibrate", "--target-precision", "1"
    )
    assert proc.returncode == 0, err(proc)
    lines = out(proc).splitlines()
    assert lines[0].split() == ["threshold", "precision", "recall", "F1", "ARI"]
    rows = lines[1:-1]
    assert len(rows) == len(curve)
    for row, (threshold, scores) in zip(rows, curve):
        assert row.split() == [
            f"{threshold:.2f}",
            f"{scores.precision:.4f}",
            f"{scores.recall:.4f}",
            f"{scores.f1:.4f}",
            f"{scores.ari:.4f}",
        ]
    assert lines[-1] == "suggested threshold: 0.25 (lowest reaching precision 1.0)"


def test_eval_error_missing_labels_file(eval_files, tmp_path):
    feed, _ = eval_files
    missing = tmp_path / "missing.csv"
    assert_clean_error(run("eval", str(feed), "--labels", str(missing)), f"{missing}: no such file")


def test_eval_error_result_and_paths(eval_files, tmp_path):
    feed, label_file = eval_files
    saved = write(tmp_path / "result.json", '{"clusters": []}')
    assert_clean_error(
        run("eval", str(feed), "--result", str(saved), "--labels", str(label_file)),
        "give either --result or input PATHs, not both",
    )


def test_eval_error_nothing_to_score(eval_files):
    _, label_file = eval_files
    assert_clean_error(run("eval", "--labels", str(label_file)), "nothing to score")


def test_eval_error_calibrate_with_result_only(eval_files, tmp_path):
    _, label_file = eval_files
    saved = write(tmp_path / "result.json", '{"clusters": []}')
    assert_clean_error(
        run("eval", "--result", str(saved), "--labels", str(label_file), "--calibrate"),
        "--calibrate runs dedup: give the input PATHs",
    )


def test_eval_error_malformed_labels(eval_files, tmp_path):
    feed, _ = eval_files
    bad = write(tmp_path / "labels.csv", "id,cluster\na,1\n,2\n")
    assert_clean_error(
        run("eval", str(feed), "--labels", str(bad)), f"{bad}:3: empty id or cluster value"
    )


def test_eval_error_result_not_a_report(eval_files, tmp_path):
    _, label_file = eval_files
    broken = write(tmp_path / "broken.json", '{"clusters": [')
    assert_clean_error(
        run("eval", "--result", str(broken), "--labels", str(label_file)),
        f"{broken}: not a dedup JSON report",
    )

def test_eval_error_result_json_not_an_object(eval_files, tmp_path):
    _, label_file = eval_files
    array = write(tmp_path / "array.json", "[]")
    assert_clean_error(
        run("eval", "--result", str(array), "--labels", str(label_file)),
        f"{array}: not a dedup JSON report",
    )
