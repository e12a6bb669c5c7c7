import datetime as dt

from extract.identifiers import (
    enterprise_check_digit,
    enterprise_code_problem,
    holder_id_problem,
    personal_number_problem,
)

TODAY = dt.date(2025, 11, 1)


def test_valid_personal_numbers() -> None:
    assert personal_number_problem("026090001234", TODAY) is None  # Vĩnh Phúc, male, 1990
    assert personal_number_problem("001305123456", TODAY) is None  # Hà Nội, female, 2005


def test_unknown_province_code() -> None:
    assert personal_number_problem("099090001234", TODAY) == "province code 099 unknown"
    assert personal_number_problem("003090001234", TODAY) == "province code 003 unknown"


def test_century_and_birth_year() -> None:
    assert personal_number_problem("026790001234", TODAY) == "century digit 7 unknown"
    assert personal_number_problem("026299001234", TODAY) == "birth year 2099 in the future"


def test_enterprise_check_digit() -> None:
    assert enterprise_check_digit("010010910") == 6
    assert enterprise_code_problem("0100109106") is None
    assert enterprise_code_problem("0100109107") == "enterprise code check digit wrong"
    assert enterprise_code_problem("0100109106001") is None  # a dependent unit


def test_holder_id_dispatches_on_length() -> None:
    assert holder_id_problem("135792468", TODAY) is None
    assert holder_id_problem("099090001234", TODAY) == "province code 099 unknown"
    assert holder_id_problem("0300588569", TODAY) is None
    assert holder_id_problem("12345", TODAY) == "5 digits is no known identifier length"
