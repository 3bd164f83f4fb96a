import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions.evaluation import readers
from submissions.evaluation.errors import EvaluationError
from submissions.evaluation.metrics import get_metric
from submissions.evaluation.readers import (
    parse_expected,
    read_answer_key,
    read_predictions,
    sniff_csv_upload,
)

KEY_CSV = b"id,expected,split\nr1,1.0,public\nr2,2.0,public\nr3,3.0,private\nr4,4.0,private\n"
GOOD_PREDICTIONS = "id,prediction\nr1,1\nr2,2\nr3,3\nr4,4\n"


@pytest.fixture
def key():
    return read_answer_key(io.BytesIO(KEY_CSV))


def _read(content, key, *, metric="rmse", max_rows=None):
    data = content.encode() if isinstance(content, str) else content
    return read_predictions(io.BytesIO(data), key=key, metric=get_metric(metric), max_rows=max_rows)


def _problems(content, key, **kwargs) -> EvaluationError:
    with pytest.raises(EvaluationError) as caught:
        _read(content, key, **kwargs)
    return caught.value


# The answer key


def test_answer_key_keeps_order_ids_and_splits():
    key = read_answer_key(
        io.BytesIO(b" ID , Expected ,SPLIT\nb,x,Public\na,y,private\nc,z,public\n")
    )
    assert key.ids == ["b", "a", "c"]
    assert key.expected == ["x", "y", "z"]
    assert key.public.tolist() == [True, False, True]
    assert key.private.tolist() == [False, True, False]
    assert key.lines.tolist() == [2, 3, 4]
    assert key.index == {"b": 0, "a": 1, "c": 2}


@pytest.mark.parametrize(
    ("content", "code", "fragments"),
    [
        (b"", "empty_file", []),
        (
            b"id,answer,split\na,1,public\n",
            "wrong_header",
            ["id,expected,split", "id,answer,split"],
        ),
        (b"a,1,public\n", "missing_header", ["id,expected,split", "a,1,public"]),
        (b"id,expected,split\na,1,public\nb,1\n", "wrong_column_count", ["Line 3", "has 2"]),
        (
            b"id,expected,split\na,1,public\na,2,private\n",
            "duplicate_ids",
            ["Line 3", "“a”", "line 2"],
        ),
        (b"id,expected,split\na,1,public\nb,2,pubic\n", "wrong_split", ["Line 3", "“pubic”"]),
        (b"id,expected,split\na,1,public\nb, ,private\n", "missing_expected", ["Line 3"]),
        (b"id,expected,split\na,1,public\n,2,private\n", "missing_id", ["Line 3"]),
        (b"id,expected,split\na,1,private\n", "no_public_rows", []),
        (b"id,expected,split\n", "no_public_rows", []),
    ],
)
def test_a_broken_answer_key_is_refused(content, code, fragments):
    with pytest.raises(EvaluationError) as caught:
        read_answer_key(io.BytesIO(content))
    assert code in caught.value.codes
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message


def test_expected_values_the_metric_cannot_use_name_the_line_but_not_the_value():
    key = read_answer_key(io.BytesIO(b"id,expected,split\na,1,public\nb,0.7,public\n"))
    with pytest.raises(EvaluationError) as caught:
        parse_expected(key, metric=get_metric("roc_auc"))
    assert caught.value.codes == ["invalid_expected_value"]
    message = str(caught.value)
    assert "Line 3" in message and "roc_auc" in message
    assert "0.7" not in message


# Prediction files: what is read


def test_predictions_come_back_in_key_order(key):
    values = _read("id,prediction\nr3,30\nr1,10\nr4,40\nr2,20\n", key)
    assert values.tolist() == [10.0, 20.0, 30.0, 40.0]


@pytest.mark.parametrize(
    "content",
    [
        GOOD_PREDICTIONS.encode(),
        b"\xef\xbb\xbf" + GOOD_PREDICTIONS.encode(),  # Excel's UTF-8 BOM
        GOOD_PREDICTIONS.replace("\n", "\r\n").encode(),
        GOOD_PREDICTIONS.replace("\n", "\r").encode(),  # old Mac line endings
        b'  ID , Prediction \n"r1","1"\n\nr2, 2 \nr3,3\nr4,4',  # no final newline
    ],
    ids=["plain", "utf8-bom", "crlf", "cr", "loose"],
)
def test_predictions_read_in_any_common_form(content, key):
    assert _read(content, key).tolist() == [1.0, 2.0, 3.0, 4.0]


def test_lines_split_across_chunks_are_read_whole(key, monkeypatch):
    # Tiny chunks put chunk edges inside lines and between \r and \n.
    monkeypatch.setattr(readers, "CHUNK_SIZE", 3)
    content = "\ufeffid,prediction\r\nr1,1\r\nr2,2\r\nr3,3\r\nr4,4\r\n".encode()
    assert _read(content, key).tolist() == [1.0, 2.0, 3.0, 4.0]


def test_label_and_ranking_predictions_are_kept_as_text(key):
    labels = _read("id,prediction\nr1,cat\nr2,dog\nr3,cat\nr4, bird \n", key, metric="accuracy")
    assert labels.tolist() == ["cat", "dog", "cat", "bird"]
    ranked = _read("id,prediction\nr1,a b\nr2,c\nr3,d e f\nr4,g\n", key, metric="map_at_k")
    assert ranked.tolist() == [("a", "b"), ("c",), ("d", "e", "f"), ("g",)]


def test_reading_starts_at_the_beginning_of_a_file_already_read(key):
    upload = SimpleUploadedFile("predictions.csv", GOOD_PREDICTIONS.encode())
    upload.read()
    values = read_predictions(upload, key=key, metric=get_metric("rmse"))
    assert values.tolist() == [1.0, 2.0, 3.0, 4.0]


# Prediction files: what is refused, and how the participant is told

TOO_LONG_LINE = b"id,prediction\n" + b"x" * (readers.MAX_LINE_BYTES + 10)
UNCLOSED_QUOTE = b'id,prediction\nr1,1\nr2,"' + b"x" * 200_000 + b"\nr3,3\n"


@pytest.mark.parametrize(
    ("content", "code", "fragments"),
    [
        (b"", "empty_file", []),
        (b"\n \n\n", "empty_file", []),
        (GOOD_PREDICTIONS.encode("utf-16"), "utf16_bom", ["UTF-16", "UTF-8"]),
        (GOOD_PREDICTIONS.encode("utf-32"), "utf16_bom", ["UTF-32", "UTF-8"]),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary_file", ["byte offset 5"]),
        (b"<!DOCTYPE html>\n<html><body>Sign in</body></html>", "html_file", []),
        (b'  <?xml version="1.0"?>\n<rows/>', "html_file", []),
        (
            b"id,prediction\nr1,1\nr2,2\xe9\nr3,3\nr4,4\n",
            "wrong_encoding",
            ["Line 3", "byte offset 23"],
        ),
        (b"r1,1\nr2,2\nr3,3\nr4,4\n", "missing_header", ["“id,prediction”", "“r1,1”"]),
        (b"id,label\nr1,1\nr2,2\nr3,3\nr4,4\n", "wrong_header", ["“id,prediction”", "“id,label”"]),
        (b"id,prediction,note\nr1,1,x\n", "wrong_header", ["“id,prediction,note”"]),
        (b"id;prediction\nr1;1\n", "wrong_delimiter", ["“;”", "commas"]),
        (b"id\tprediction\nr1\t1\n", "wrong_delimiter", ["“\\t”"]),
        (GOOD_PREDICTIONS.replace("r2,2", "r2,2,5").encode(), "wrong_column_count", ["Line 3"]),
        (b"id,prediction\nr1,1\nr2,2\n", "missing_ids", ["lacks 2", "“r3”", "“r4”"]),
        (GOOD_PREDICTIONS.encode() + b"r1,5\n", "duplicate_ids", ["Line 6", "“r1”", "line 2"]),
        (GOOD_PREDICTIONS.encode() + b"zz9,5\n", "unknown_ids", ["Line 6", "“zz9”"]),
        (GOOD_PREDICTIONS.encode() + b" ,5\n", "missing_id", ["Line 6"]),
        (
            GOOD_PREDICTIONS.replace("r2,2", "r2,two").encode(),
            "non_numeric_value",
            ["Line 3", "“two”"],
        ),
        (GOOD_PREDICTIONS.replace("r2,2", "r2,NaN").encode(), "nan_value", ["Line 3", "“NaN”"]),
        (
            GOOD_PREDICTIONS.replace("r2,2", "r2,-inf").encode(),
            "infinite_value",
            ["Line 3", "“-inf”"],
        ),
        (GOOD_PREDICTIONS.replace("r2,2", "r2,").encode(), "missing_value", ["Line 3"]),
        (TOO_LONG_LINE, "line_too_long", ["Line 2"]),
        (UNCLOSED_QUOTE, "malformed_csv", ["Line 3"]),
    ],
)
def test_a_bad_prediction_file_is_refused_with_a_precise_reason(content, code, fragments, key):
    error = _problems(content, key)
    assert error.codes == [code]
    message = str(error)
    for fragment in fragments:
        assert fragment in message


def test_too_many_rows_stops_reading(key):
    error = _problems(GOOD_PREDICTIONS, key, max_rows=3)
    assert error.codes == ["too_many_rows"]
    assert "more than 3 rows" in str(error)


def test_a_nul_byte_past_the_first_chunk_is_found(key):
    content = GOOD_PREDICTIONS.encode() + b"\n" * readers.CHUNK_SIZE + b"r9,\x00\n"
    error = _problems(content, key)
    assert error.codes == ["binary_file"]
    assert f"byte offset {len(content) - 2}" in str(error)


def test_every_problem_is_reported_in_one_pass(key):
    content = "id,prediction\nr1,abc\nr1,2\nzz,3\nr2,4,5\n"
    codes = _problems(content, key).codes
    assert codes == [
        "non_numeric_value",
        "duplicate_ids",
        "unknown_ids",
        "wrong_column_count",
        "missing_ids",
    ]


def test_a_line_with_an_encoding_error_is_not_also_an_unknown_id(key):
    error = _problems(b"id,prediction\nr1,1\nr2,2\nr3,3\nr4,4\n\xe9t\xe9,5\n", key)
    assert error.codes == ["wrong_encoding"]


def test_a_flood_of_one_problem_shows_five_examples_and_a_count(key):
    rows = "".join(f"x{i},1\n" for i in range(20))
    error = _problems(GOOD_PREDICTIONS + rows, key)
    assert error.codes == ["unknown_ids"] * 6
    message = str(error)
    assert "“x4”" in message and "“x5”" not in message
    assert "15 more lines" in message


def test_missing_ids_show_at_most_five_examples():
    many = b"id,expected,split\n" + b"".join(b"k%d,1,public\n" % i for i in range(12))
    key = read_answer_key(io.BytesIO(many))
    message = str(_problems("id,prediction\nk0,1\n", key))
    assert "lacks 11 " in message
    assert "“k5”" in message and "“k6”" not in message


def test_messages_never_show_the_expected_values(key):
    secret_key = read_answer_key(
        io.BytesIO(b"id,expected,split\nr1,SECRET-A,public\nr2,SECRET-B,private\n")
    )
    error = _problems("id,prediction\nr1,\nr2,x,y\nr3,z\n", secret_key, metric="accuracy")
    assert "SECRET" not in str(error)
    assert "SECRET" not in repr(error.details)


# Intake sniffing


@pytest.mark.parametrize(
    ("content", "code", "fragments"),
    [
        (b"", "empty_file", []),
        (b"  \r\n", "empty_file", []),
        (b"\xff\xfei\x00d\x00", "utf16_bom", ["UTF-16"]),
        (b"id,prediction\nr1,\x00\x00", "binary_file", ["byte offset 17"]),
        (b"<html><head><title>Login</title>", "html_file", []),
        (b"id,prediction\nr1,1\nr2,\xff\n", "wrong_encoding", ["Line 3", "byte offset 22"]),
        (b"17,0.5\n18,0.25\n", "missing_header", ["“17,0.5”"]),
        (b"row_id,target\n17,0.5\n", "wrong_header", ["“row_id,target”"]),
        (b"id;prediction\n17;0.5\n", "wrong_delimiter", ["“;”"]),
    ],
)
def test_sniffing_an_upload_finds_what_the_first_bytes_show(content, code, fragments):
    upload = io.BytesIO(content)
    found = sniff_csv_upload(upload)
    assert [v.code for v in found] == [code]
    for fragment in fragments:
        assert fragment in str(found[0].message)
    assert upload.tell() == 0


@pytest.mark.parametrize(
    "content",
    [
        GOOD_PREDICTIONS.encode(),
        b"\xef\xbb\xbfID,Prediction\r\nr1,1\r\n",
        b"\n\nid,prediction\n",
    ],
)
def test_sniffing_accepts_a_good_upload_and_rewinds_it(content):
    upload = SimpleUploadedFile("predictions.csv", content)
    assert sniff_csv_upload(upload) == []
    assert upload.read() == content


def test_sniffing_does_not_mistake_a_character_cut_by_the_limit_for_bad_utf8():
    content = "id,prediction\nr1,é\n".encode()
    cut_inside_e = content.index("é".encode()) + 1
    assert sniff_csv_upload(io.BytesIO(content), max_bytes_to_check=cut_inside_e) == []


def test_sniffing_refuses_a_first_line_longer_than_the_bytes_checked():
    found = sniff_csv_upload(io.BytesIO(b"x" * 100 + b"\n"), max_bytes_to_check=50)
    assert [v.code for v in found] == ["wrong_header"]


@pytest.mark.parametrize(
    ("bad_line", "code", "fragment"),
    [
        (b"r500,\xff\n", "wrong_encoding", "Line 501"),
        (b"r500,\x00\n", "binary_file", "byte offset"),
    ],
)
def test_sniffing_still_reads_every_line_when_one_far_down_is_broken(bad_line, code, fragment):
    lines = [b"id,prediction\n", *(f"r{i},{i}.5\n".encode() for i in range(499)), bad_line]
    found = sniff_csv_upload(io.BytesIO(b"".join(lines)))
    assert [v.code for v in found] == [code]
    assert fragment in str(found[0].message)
