"""QR Platba strings (SPAYD 1.2): the specification's rules, and Czech account numbers → IBAN."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from stdnum import iban as stdnum_iban

from portal.documents.spayd import (
    Payment,
    SpaydError,
    build_spayd,
    czech_account_to_iban,
    escape_value,
    format_amount,
    iban_to_czech_account,
)

UTILITY_IBAN = "CZ6508000000192000145399"


def test_the_specifications_example_payment():
    payment = Payment(
        iban="CZ5855000000001265098001",
        amount=Decimal("480.50"),
        message="Platba za elektrinu",
        variable_symbol="1234567890",
    )
    assert build_spayd(payment) == (
        "SPD*1.0*ACC:CZ5855000000001265098001*AM:480.50*CC:CZK"
        "*MSG:Platba za elektrinu*X-VS:1234567890"
    )


def test_every_supported_key_in_order():
    payment = Payment(
        iban="CZ65 0800 0000 1920 0014 5399",
        bic="gibaczpx",
        amount=Decimal("1"),
        variable_symbol="2025000002",
        specific_symbol="42",
        constant_symbol="0308",
        recipient="Vodárna Testov",
        message="Faktura 2025000002",
        execution_date=dt.date(2026, 12, 15),
    )
    assert build_spayd(payment) == (
        f"SPD*1.0*ACC:{UTILITY_IBAN}+GIBACZPX*AM:1.00*CC:CZK*DT:20261215*RN:Vodarna Testov"
        "*MSG:Faktura 2025000002*X-VS:2025000002*X-SS:42*X-KS:0308"
    )


def test_no_date_unless_an_execution_date_is_asked_for():
    text = build_spayd(Payment(iban=UTILITY_IBAN, amount=Decimal("800")))
    assert text == f"SPD*1.0*ACC:{UTILITY_IBAN}*AM:800.00*CC:CZK"
    assert "DT:" not in text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Záloha č. 3 – duben", "Zaloha c. 3  duben"),
        ("a*b", "a%2Ab"),
        ("100% vody", "100%25 vody"),
        ("řádek\tdva", "radek%09dva"),
    ],
)
def test_values_are_ascii_and_never_carry_a_raw_asterisk(text, escaped):
    assert escape_value(text) == escaped


def test_the_message_is_cut_to_60_characters_without_splitting_an_escape():
    text = build_spayd(Payment(iban=UTILITY_IBAN, amount=Decimal(1), message="x" * 58 + "*yz"))
    message = text.split("*MSG:")[1]
    assert message == "x" * 58
    long = build_spayd(Payment(iban=UTILITY_IBAN, amount=Decimal(1), message="Záloha " * 20))
    assert len(long.split("*MSG:")[1]) == 60


def test_amounts_have_two_decimals_and_at_most_ten_characters():
    assert format_amount(Decimal("1234.5")) == "1234.50"
    assert format_amount("0.005") == "0.01"
    assert format_amount(Decimal("9999999.99")) == "9999999.99"
    with pytest.raises(SpaydError, match="longer than 10"):
        format_amount(Decimal("10000000.00"))
    with pytest.raises(SpaydError, match="greater than zero"):
        format_amount(Decimal("0"))
    with pytest.raises(SpaydError, match="greater than zero"):
        format_amount(Decimal("-1432.03"))
    with pytest.raises(SpaydError, match="float"):
        format_amount(12.5)
    with pytest.raises(SpaydError, match="not a number"):
        format_amount("12,50")


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("variable_symbol", "12a4", "digits only"),
        ("variable_symbol", "12345678901", "more than 10 digits"),
        ("specific_symbol", "-1", "digits only"),
        ("constant_symbol", "03 08", "digits only"),
    ],
)
def test_symbols_are_digits_only_and_at_most_ten(field, value, error):
    with pytest.raises(SpaydError, match=error):
        build_spayd(Payment(iban=UTILITY_IBAN, amount=Decimal(1), **{field: value}))


def test_a_wrong_iban_or_bic_is_refused_with_a_clear_message():
    with pytest.raises(SpaydError, match="IBAN 'CZ6608000000192000145399' is not valid"):
        build_spayd(Payment(iban="CZ6608000000192000145399", amount=Decimal(1)))
    with pytest.raises(SpaydError, match="BIC"):
        build_spayd(Payment(iban=UTILITY_IBAN, amount=Decimal(1), bic="GIBA"))
    with pytest.raises(SpaydError, match="three-letter"):
        build_spayd(Payment(iban=UTILITY_IBAN, amount=Decimal(1), currency="Kč"))


@pytest.mark.parametrize(
    ("account", "iban"),
    [
        ("19-2000145399/0800", "CZ6508000000192000145399"),
        ("2000145399/0800", "CZ7908000000002000145399"),
        ("000019-2000145399/0800", "CZ6508000000192000145399"),
    ],
)
def test_a_czech_account_number_converts_to_its_iban(account, iban):
    result = czech_account_to_iban(account)
    assert result == iban
    assert stdnum_iban.is_valid(result)
    assert czech_account_to_iban(iban_to_czech_account(result)) == result


def test_the_iban_turns_back_into_the_account_printed_on_documents():
    assert iban_to_czech_account(UTILITY_IBAN) == "19-2000145399/0800"
    assert iban_to_czech_account("DE89370400440532013000") == ""


@pytest.mark.parametrize(
    ("account", "error"),
    [
        ("19-2000145398/0800", "not valid"),
        ("2000145399", "not a Czech account number"),
        ("19-2000145399/08000", "not a Czech account number"),
    ],
)
def test_a_wrong_czech_account_number_is_refused(account, error):
    with pytest.raises(SpaydError, match=error):
        czech_account_to_iban(account)
