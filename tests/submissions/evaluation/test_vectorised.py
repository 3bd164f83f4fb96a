"""The vectorised reader against the precise one: same verdicts, same messages,
same scores. Whatever the fast path is unsure of, the precise reader explains."""

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from submissions.evaluation import scoring
from submissions.evaluation.errors import EvaluationError
from submissions.evaluation.metrics import METRIC_REGISTRY, get_metric
from submissions.evaluation.readers import MAX_LINE_BYTES, read_answer_key, read_predictions
from submissions.evaluation.scoring import score_predictions
from submissions.evaluation.vectorised import read_key_columns, read_prediction_columns

NUMBER_KEY = b"id,expected,split\nr1,1.0,public\nr2,2.0,public\nr3,3.0,private\nr4,4.0,private\n"
LABEL_KEY = b"id,expected,split\nr1,cat,public\nr2,dog,public\nr3,cat,private\nr4,dog,private\n"
PROBABILITY_KEY = b"id,expected,split\nr1,0,public\nr2,1,public\nr3,1,private\nr4,0,private\n"
GOOD = "id,prediction\nr1,1\nr2,2.5\nr3,3\nr4,4.25\n"
LABELS = "id,prediction\nr1,cat\nr2,cat\nr3,dog\nr4,dog\n"


def _outcome(key: bytes, predictions: bytes, metric: str, *, fast: bool, max_rows=None):
    """What a participant would see: the scores, or every message of the refusal."""
    try:
        scores = score_predictions(
            answer_key_file=io.BytesIO(key),
            prediction_file=io.BytesIO(predictions),
            metric_name=metric,
            max_rows=max_rows,
            fast=fast,
        )
    except EvaluationError as error:
        return "refused", [(v.code, str(v.message), v.params) for v in error.violations]
    return "scored", scores


def _fast_values(key: bytes, predictions: bytes, metric: str, max_rows=None):
    columns = read_key_columns(io.BytesIO(key), get_metric(metric))
    assert columns is not None
    return read_prediction_columns(
        io.BytesIO(predictions), columns, get_metric(metric), max_rows=max_rows
    )


def _utf16(text: str) -> bytes:
    return text.encode("utf-16")


# (name, metric, prediction file, max_rows)
BROKEN = [
    ("duplicate id", "rmse", GOOD + "r1,5\n", None),
    ("duplicate id in place of another", "rmse", GOOD.replace("r4,", "r1,"), None),
    ("missing ids", "rmse", "id,prediction\nr1,1\nr2,2\n", None),
    ("unknown id", "rmse", GOOD + "zz9,5\n", None),
    ("unknown id in place of one", "rmse", GOOD.replace("r4,", "zz,"), None),
    ("empty id", "rmse", GOOD + " ,5\n", None),
    ("NaN", "rmse", GOOD.replace("r2,2.5", "r2,NaN"), None),
    ("nan lowercase", "rmse", GOOD.replace("r2,2.5", "r2,nan"), None),
    ("infinity", "rmse", GOOD.replace("r2,2.5", "r2,-inf"), None),
    ("overflow", "rmse", GOOD.replace("r2,2.5", "r2,1e999"), None),
    ("not a number", "rmse", GOOD.replace("r2,2.5", "r2,two"), None),
    ("underscore digits", "rmse", GOOD.replace("r2,2.5", "r2,1_000"), None),
    ("non-ASCII digit", "rmse", GOOD.replace("r2,2.5", "r2,٣"), None),
    ("empty value", "rmse", GOOD.replace("r2,2.5", "r2,"), None),
    ("probability above 1", "log_loss", GOOD.replace("r2,2.5", "r2,1.5"), None),
    ("unknown label", "accuracy", LABELS.replace("r2,cat", "r2,Cat"), None),
    ("NaN label", "accuracy", LABELS.replace("r2,cat", "r2,NaN"), None),
    ("empty label", "macro_f1", LABELS.replace("r2,cat", "r2, "), None),
    ("empty ranking", "map_at_k", LABELS.replace("r2,cat", "r2,"), None),
    ("UTF-16", "rmse", _utf16(GOOD), None),
    ("UTF-32", "rmse", GOOD.encode("utf-32"), None),
    ("empty file", "rmse", "", None),
    ("blank lines only", "rmse", "\n \n\n", None),
    ("header only", "rmse", "id,prediction\n", None),
    ("wrong header", "rmse", GOOD.replace("id,prediction", "id,label"), None),
    ("missing header", "rmse", GOOD.replace("id,prediction\n", ""), None),
    (
        "extra column in header",
        "rmse",
        "id,prediction,note\nr1,1,x\nr2,2,x\nr3,3,x\nr4,4,x\n",
        None,
    ),
    ("extra column on a line", "rmse", GOOD.replace("r2,2.5", "r2,2.5,7"), None),
    ("missing column on a line", "rmse", GOOD.replace("r2,2.5", "r2"), None),
    ("semicolons", "rmse", GOOD.replace(",", ";"), None),
    ("tabs", "rmse", GOOD.replace(",", "\t"), None),
    ("unclosed quote", "rmse", GOOD.replace("r2,2.5", 'r2,"2.5'), None),
    ("quoted comma", "rmse", GOOD.replace("r2,2.5", 'r2,"2,5"'), None),
    ("text after a closing quote", "rmse", GOOD.replace("r2,2.5", 'r2,"2"x'), None),
    ("invalid UTF-8", "rmse", GOOD.replace("r2,2.5", "r2,2.5\udce9"), None),
    ("NUL byte", "rmse", GOOD + "r9,\x00\n", None),
    ("HTML page", "rmse", "<!DOCTYPE html>\n<html><body>Sign in</body></html>", None),
    ("too many rows", "rmse", GOOD, 3),
    ("line too long", "rmse", GOOD.replace("r2,2.5", "r2,0." + "0" * MAX_LINE_BYTES), None),
    ("many problems at once", "rmse", "id,prediction\nr1,abc\nr1,2\nzz,3\nr2,4,5\n", None),
]
KEYS = {"rmse": NUMBER_KEY, "log_loss": PROBABILITY_KEY}


def _encode(text: str | bytes) -> bytes:
    if isinstance(text, bytes):
        return text
    return text.encode("utf-8", errors="surrogateescape")


@pytest.mark.parametrize(
    ("metric", "content", "max_rows"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_a_broken_file_gets_the_precise_readers_verdict_and_messages(metric, content, max_rows):
    key = KEYS.get(metric, LABEL_KEY)
    data = _encode(content)
    assert _fast_values(key, data, metric, max_rows) is None  # the fast path steps aside
    fast = _outcome(key, data, metric, fast=True, max_rows=max_rows)
    assert fast[0] == "refused"
    assert fast == _outcome(key, data, metric, fast=False, max_rows=max_rows)


# Files the precise reader accepts; some are odd enough that the fast path
# leaves them to it, the common ones it reads itself.
ODD_BUT_GOOD = [
    ("Excel BOM", GOOD.encode("utf-8-sig"), True),
    ("CRLF", GOOD.replace("\n", "\r\n").encode(), True),
    ("BOM and CRLF", GOOD.replace("\n", "\r\n").encode("utf-8-sig"), True),
    ("old Mac CR", GOOD.replace("\n", "\r").encode(), True),
    ("no final newline", GOOD.rstrip("\n").encode(), True),
    ("shuffled rows", b"id,prediction\nr3,3\nr1,1\nr4,4.25\nr2,2.5\n", True),
    ("blank lines", GOOD.replace("\nr2", "\n\n\nr2").encode(), True),
    (
        "header in capitals, padded",
        GOOD.replace("id,prediction", " ID , Prediction ").encode(),
        True,
    ),
    ("padded values", GOOD.replace("r2,2.5", "r2,  2.5\t").encode(), True),
    (
        "exotic number forms",
        GOOD.replace("r2,2.5", "r2,+.25E1").replace("r4,4.25", "r4,4.").encode(),
        True,
    ),
    ("quoted cells", b'id,prediction\n"r1","1"\nr2,2.5\nr3,3\nr4,4.25\n', False),
    ("padded ids", GOOD.replace("r2,", " r2 ,").encode(), False),
    ("a line of blank cells", (GOOD + " , \n").encode(), False),
]


@pytest.mark.parametrize(
    ("content", "fast_reads_it"), [c[1:] for c in ODD_BUT_GOOD], ids=[c[0] for c in ODD_BUT_GOOD]
)
def test_an_odd_but_good_file_scores_as_the_precise_reader_scores_it(content, fast_reads_it):
    assert (_fast_values(NUMBER_KEY, content, "rmse") is not None) is fast_reads_it
    fast = _outcome(NUMBER_KEY, content, "rmse", fast=True)
    assert fast[0] == "scored"
    assert fast == _outcome(NUMBER_KEY, content, "rmse", fast=False)


@pytest.mark.parametrize(
    "key",
    [
        b"id,expected,split\na,1,public\na,2,private\n",
        b"id,expected,split\na,1,public\nb,2,pubic\n",
        b"id,expected,split\na,1,public\nb, ,private\n",
        b"id,expected,split\na,1,public\n,2,private\n",
        b"id,expected,split\na,1,private\n",
        b"id,expected,split\n",
        b"id,expected,split\na,1,public\nb,two,private\n",
        b"id,expected,split\na,1,public\nb,2,PUBL\xc4\xb0C\n",  # a dotted capital I
        b"a,1,public\nb,2,private\n",
        b"id,expected,split\na,1,public\nb,0." + b"0" * MAX_LINE_BYTES + b"1,private\n",
        "id,expected,split\na,1,public\nb,2,private\n".encode("utf-16"),
    ],
)
def test_a_broken_answer_key_gets_the_precise_readers_messages(key):
    assert read_key_columns(io.BytesIO(key), get_metric("rmse")) is None
    predictions = b"id,prediction\na,1\nb,2\n"
    fast = _outcome(key, predictions, "rmse", fast=True)
    assert fast[0] == "refused"
    assert fast == _outcome(key, predictions, "rmse", fast=False)


def _good_files(metric_name: str, rows: int, rng: np.random.Generator, *, shuffle: bool):
    kind = METRIC_REGISTRY[metric_name].kind
    if kind == "label":
        truth = rng.choice(["cat", "dog", "bird"], rows)
        guess = rng.choice(["cat", "dog", "bird"], rows)
    elif kind == "probability":
        truth = rng.integers(0, 2, rows).astype(str)
        guess = [repr(float(v)) for v in rng.random(rows)]
    elif kind == "ranking":
        items = [f"i{n}" for n in range(20)]
        truth = [" ".join(rng.choice(items, 3, replace=False)) for _ in range(rows)]
        guess = [" ".join(rng.choice(items, 10)) for _ in range(rows)]
    else:
        truth = [repr(float(v)) for v in rng.normal(50, 20, rows)]
        guess = [f"{v:.17g}" for v in rng.normal(50, 25, rows)]
    splits = np.where(rng.random(rows) < 0.3, "private", "public")
    key = "id,expected,split\n" + "".join(
        f"k{i},{t},{s}\n" for i, (t, s) in enumerate(zip(truth, splits, strict=True))
    )
    order = rng.permutation(rows) if shuffle else range(rows)
    predictions = "id,prediction\n" + "".join(f"k{i},{guess[i]}\n" for i in order)
    return key.encode(), predictions.encode()


@pytest.mark.parametrize("shuffle", [False, True], ids=["key order", "shuffled"])
@pytest.mark.parametrize("metric", sorted(METRIC_REGISTRY))
def test_every_metric_scores_the_same_on_both_paths(metric, shuffle):
    key, predictions = _good_files(metric, 3000, np.random.default_rng(7), shuffle=shuffle)
    assert _fast_values(key, predictions, metric) is not None
    verdict, fast = _outcome(key, predictions, metric, fast=True)
    assert verdict == "scored"
    _, precise = _outcome(key, predictions, metric, fast=False)
    assert fast.public == pytest.approx(precise.public, rel=1e-12, abs=1e-12)
    assert fast.private == pytest.approx(precise.private, rel=1e-12, abs=1e-12)
    assert fast.rows == precise.rows == 3000


NUMBER_TEXT = st.text(alphabet="0123456789+-.eEnaifyINFxX _\t\u00a0", min_size=0, max_size=12)


@settings(max_examples=400, deadline=None)
@given(cells=st.lists(NUMBER_TEXT, min_size=4, max_size=4))
def test_a_number_the_fast_path_accepts_is_the_number_the_precise_reader_reads(cells):
    content = "id,prediction\n" + "".join(f"r{i + 1},{c}\n" for i, c in enumerate(cells))
    fast = _fast_values(NUMBER_KEY, content.encode(), "rmse")
    if fast is None:
        return  # left to the precise reader
    precise = read_predictions(
        io.BytesIO(content.encode()),
        key=read_answer_key(io.BytesIO(NUMBER_KEY)),
        metric=get_metric("rmse"),
    )
    assert fast.tolist() == precise.tolist()


def test_a_parsed_key_is_kept_per_process_and_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(scoring, "_key_cache", type(scoring._key_cache)())
    monkeypatch.setattr(scoring, "KEY_CACHE_ENTRIES", 2)
    for _ in range(3):
        assert _outcome(NUMBER_KEY, GOOD.encode(), "rmse", fast=True)[0] == "scored"
    assert len(scoring._key_cache) == 1
    for key in (NUMBER_KEY + b"r5,5,public\n", NUMBER_KEY + b"r6,6,public\n"):
        _outcome(key, GOOD.encode(), "rmse", fast=True)
    assert len(scoring._key_cache) == 2  # the oldest key went first
    # The same bytes under another metric are parsed for that metric.
    assert (
        _outcome(
            PROBABILITY_KEY, b"id,prediction\nr1,0.2\nr2,0.9\nr3,1\nr4,0\n", "log_loss", fast=True
        )[0]
        == "scored"
    )


@pytest.mark.parametrize(
    "ids",
    [
        ["a", "b", "ab", "ba"],
        ["customer-000000000001", "customer-000000000002", "customer-00000000001", "c"],
        ["é", "ü", "日本", "日本語のID-長い名前です"],
        ["12345678", "123456789", "1234567", "12345678 9"],
    ],
)
def test_ids_of_any_length_and_script_are_joined_exactly(ids):
    key = "id,expected,split\n" + "".join(f"{i},{n},public\n" for n, i in enumerate(ids))
    rows = [f"{i},{n * 10}\n" for n, i in enumerate(ids)]
    shuffled = "id,prediction\n" + "".join(rows[::-1])
    assert _fast_values(key.encode(), shuffled.encode(), "mae").tolist() == [0, 10, 20, 30]
    # One id swapped for a near miss: the fast path steps aside, the precise reader says why.
    near = shuffled.replace(f"{ids[1]},", f"{ids[1]}x,")
    assert _fast_values(key.encode(), near.encode(), "mae") is None
    fast = _outcome(key.encode(), near.encode(), "mae", fast=True)
    assert fast[0] == "refused"
    assert fast == _outcome(key.encode(), near.encode(), "mae", fast=False)


def test_the_fast_sort_orders_like_argsort_even_when_high_bits_tie():
    from submissions.evaluation.fingerprints import sort_order

    rng = np.random.default_rng(3)
    prints = rng.integers(0, 2**63, 5000, dtype=np.int64).astype(np.uint64)
    prints[:200] = (prints[:200] >> np.uint64(50)) << np.uint64(50)  # many share their top bits
    prints[200:400] = prints[:200] + np.uint64(1)  # and differ only in the lowest
    order = sort_order(prints)
    assert sorted(order.tolist()) == list(range(5000))
    assert (prints[order] == np.sort(prints)).all()


def test_ids_are_joined_across_the_parts_handled_at_once(monkeypatch):
    from submissions.evaluation import fingerprints

    monkeypatch.setattr(fingerprints, "ROWS_AT_ONCE", 7)
    key, predictions = _good_files("rmse", 100, np.random.default_rng(5), shuffle=True)
    fast = _fast_values(key, predictions, "rmse")
    assert fast is not None
    precise = read_predictions(
        io.BytesIO(predictions), key=read_answer_key(io.BytesIO(key)), metric=get_metric("rmse")
    )
    assert fast.tolist() == precise.tolist()
    assert _fast_values(key, predictions.replace(b"\nk99,", b"\nk9x,"), "rmse") is None


@pytest.mark.parametrize("block_bytes", [1, 2, 3, 7, 64])
def test_block_boundaries_anywhere_change_no_verdict_and_no_value(monkeypatch, block_bytes):
    """A block may end inside a line, a CRLF or a character: whatever the
    split, the fast path reads what it read whole or steps aside as it did."""
    from submissions.evaluation import blocks

    key, predictions = _good_files("rmse", 40, np.random.default_rng(9), shuffle=True)
    whole = _fast_values(key, predictions, "rmse")
    crlf = predictions.replace(b"\n", b"\r\n")
    odd = [content for _, content, fast in ODD_BUT_GOOD if fast]
    monkeypatch.setattr(blocks, "BLOCK_BYTES", block_bytes)
    assert _fast_values(key, predictions, "rmse").tolist() == whole.tolist()
    assert _fast_values(key, crlf, "rmse").tolist() == whole.tolist()
    for content in odd:
        assert _fast_values(NUMBER_KEY, content, "rmse") is not None
    for name, metric, content, max_rows in BROKEN:
        if name == "line too long":
            continue  # a megabyte a few bytes at a time: slow, and read whole above
        assert _fast_values(KEYS.get(metric, LABEL_KEY), _encode(content), metric, max_rows) is None
    # A replacement character, whichever block its three bytes fall in.
    replaced = LABELS.replace("r2,cat", "r2,\ufffd").encode()
    assert _fast_values(LABEL_KEY, replaced, "accuracy") is None


def test_a_prediction_file_is_read_a_block_at_a_time(monkeypatch):
    from submissions.evaluation import blocks

    class Recording(io.BytesIO):
        sizes: list

        def read(self, size=-1):
            self.sizes.append(size)
            return super().read(size)

    key, predictions = _good_files("rmse", 20_000, np.random.default_rng(4), shuffle=True)
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4096)
    upload = Recording(predictions)
    upload.sizes = []
    columns = read_key_columns(io.BytesIO(key), get_metric("rmse"))
    assert read_prediction_columns(upload, columns, get_metric("rmse")) is not None
    assert len(upload.sizes) > len(predictions) // 4096
    assert all(0 < size <= 4096 for size in upload.sizes)


def test_the_fingerprint_index_finds_each_row_and_nothing_else():
    from submissions.evaluation.fingerprints import PrintIndex

    rng = np.random.default_rng(11)
    prints = rng.integers(0, 2**63, 3000, dtype=np.int64).astype(np.uint64)
    prints[:40] = (prints[0] >> np.uint64(52) << np.uint64(52)) + np.arange(40, dtype=np.uint64)
    index = PrintIndex(prints)  # forty fingerprints share one bucket
    order = rng.permutation(3000)
    assert index.rows_of(prints[order]).tolist() == order.tolist()
    assert index.rows_of(prints[:40][::-1]).tolist() == list(range(39, -1, -1))
    assert index.rows_of(np.append(prints[:5], prints[39] + np.uint64(1))) is None
    assert index.rows_of(np.array([prints.max() + np.uint64(1)])) is None
