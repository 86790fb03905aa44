"""Reading source bytes: normalisation and clear errors for bad input."""

from __future__ import annotations

import pytest

from pipeline.errors import SourceError
from pipeline.textnorm import decode_source


def test_bom_crlf_and_nfc_are_normalised() -> None:
    data = "\ufeffCafe\u0301 line\r\nnext\r\n".encode()
    assert decode_source(data, "a.txt") == "Caf\u00e9 line\nnext\n"


@pytest.mark.parametrize(
    ("data", "needle"),
    [(b"", "empty"), (b"  \n", "empty"), (b"abc\x00def", "binary"), (b"ok\n\xff\xfe bad", "not valid UTF-8")],
)
def test_bad_bytes_give_one_line_error_naming_file(data: bytes, needle: str) -> None:
    with pytest.raises(SourceError) as exc:
        decode_source(data, "raw/sources/x.txt")
    message = str(exc.value)
    assert needle in message and "raw/sources/x.txt" in message and "\n" not in message


def test_non_utf8_error_names_line() -> None:
    with pytest.raises(SourceError) as exc:
        decode_source(b"line one\nline two \xff\n", "f.txt")
    assert "f.txt:2" in str(exc.value)
