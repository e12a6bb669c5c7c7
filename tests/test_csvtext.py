"""The one CSV writer (storage/csvtext.py): RFC 4180 text, streamed line by line."""

import csv
import io
from datetime import date

from storage.csvtext import csv_lines, csv_text


def test_rows_stream_one_line_at_a_time_with_rfc_4180_quoting():
    rows = [{"code": "H62", "name": 'Sở "Tư pháp", Vĩnh Phúc', "valid_to": None},
            {"code": "X1", "name": "Xã Hồ Sơn", "valid_to": date(2025, 6, 30)}]
    lines = list(csv_lines(["code", "name", "valid_to"], rows))
    assert lines == ["code,name,valid_to\r\n", 'H62,"Sở ""Tư pháp"", Vĩnh Phúc",\r\n', "X1,Xã Hồ Sơn,2025-06-30\r\n"]
    text = csv_text(["code", "name", "valid_to"], rows)
    assert text == "".join(lines)
    assert list(csv.DictReader(io.StringIO(text, newline="")))[0]["name"] == 'Sở "Tư pháp", Vĩnh Phúc'


def test_no_rows_is_the_header_alone():
    assert csv_text(["a", "b"], []) == "a,b\r\n"
