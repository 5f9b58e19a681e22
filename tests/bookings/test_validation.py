"""What a booker types: resident ID check digit and birth date, other documents, mobile numbers,
group size, consents, guardians."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciweek.bookings.validation import BookingRequest, field_errors, person_identity
from sciweek.common.validators import (
    ID_CHECK_CHARS,
    ID_PROVINCE_CODES,
    id_check_char,
    is_resident_id,
)

from .builders import TEST_ID, a_child_id, resident_id


class Rules:
    """An activity's booking rules without a database."""

    def __init__(self, *, id_required=False, group=1):
        self.id_number_required = id_required
        self.max_group_size = group


def codes(activity, **fields) -> dict[str, list[str]]:
    data = BookingRequest(**{"name": "李四", "phone": "13812345678", "consent": True, **fields})
    return {f: [e.code for e in errs] for f, errs in field_errors(activity, data).items()}


digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@given(
    province=st.sampled_from(sorted(ID_PROVINCE_CODES)),
    area=st.text(alphabet="0123456789", min_size=4, max_size=4),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    seq=st.integers(min_value=0, max_value=999),
)
def test_resident_id_only_the_computed_check_char_passes(province, area, birth, seq):
    first17 = f"{province}{area}{birth:%Y%m%d}{seq:03d}"
    right = id_check_char(first17)
    assert is_resident_id(first17 + right)
    assert is_resident_id((first17 + right).lower())  # a typed lower-case x is the same
    for wrong in set(ID_CHECK_CHARS) - {right}:
        assert not is_resident_id(first17 + wrong)


@given(
    province=st.integers(min_value=0, max_value=99)
    .map(lambda n: f"{n:02d}")
    .filter(lambda code: code not in ID_PROVINCE_CODES),
    area=st.text(alphabet="0123456789", min_size=4, max_size=4),
    seq=st.integers(min_value=0, max_value=999),
)
def test_resident_id_outside_the_gbt_2260_provinces_refused(province, area, seq):
    first17 = f"{province}{area}19850601{seq:03d}"
    assert not is_resident_id(first17 + id_check_char(first17))


def test_resident_id_with_region_000000_refused_despite_its_check_char():
    first17 = "00000019850601123"
    assert not is_resident_id(first17 + id_check_char(first17))
    first17 = "37030319850601123"  # the same with Zibo's Zhangdian district is fine
    assert is_resident_id(first17 + id_check_char(first17))


def test_the_province_codes_are_those_of_gbt_2260():
    mainland = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    mainland |= {50, 51, 52, 53, 54, 61, 62, 63, 64, 65}
    assert len(mainland) == 31
    assert {f"{code}" for code in mainland} | {"71", "81", "82", "83"} == ID_PROVINCE_CODES


def test_resident_id_test_value_is_valid():
    assert is_resident_id(TEST_ID)
    assert id_check_char(TEST_ID[:17]) == "X"


@pytest.mark.parametrize(
    "birth", ["19491331", "19490230", "18991231", f"{date.today() + timedelta(days=2):%Y%m%d}"]
)
def test_resident_id_with_impossible_birth_date_refused(birth):
    first17 = f"110105{birth}002"
    assert not is_resident_id(first17 + id_check_char(first17))


@pytest.mark.parametrize(
    "value", ["", "11010519491231002", "11010519491231002XX", "A1010519491231002X"]
)
def test_resident_id_malformed_refused(value):
    assert not is_resident_id(value)


def test_valid_input_has_no_errors():
    assert codes(Rules()) == {}
    assert codes(Rules(id_required=True), id_number=TEST_ID, id_consent=True) == {}


def test_missing_name_phone_and_consent_each_named():
    assert codes(Rules(), name="  ", phone="", consent=False) == {
        "name": ["required"],
        "phone": ["required"],
        "consent": ["consent_required"],
    }


@pytest.mark.parametrize(
    "value", ["1381234567", "12812345678", "138123456789", "abc", "0533-2186000"]
)
def test_bad_mobile_refused(value):
    assert codes(Rules(), phone=value) == {"phone": ["invalid_mobile"]}


@pytest.mark.parametrize("value", ["+86 138 1234 5678", "8613812345678", "138-1234-5678"])
def test_mobile_with_country_code_or_spaces_accepted(value):
    assert codes(Rules(), phone=value) == {}


def test_name_too_long_refused():
    assert codes(Rules(), name="王" * 51) == {"name": ["too_long"]}


def test_party_size_within_group_limit():
    assert codes(Rules(group=40), party_size=40, group_name="实验小学三年级二班") == {}
    assert codes(Rules(group=40), party_size=41, group_name="二班") == {
        "party_size": ["party_too_large"]
    }
    assert codes(Rules(group=1), party_size=2, group_name="一家") == {
        "party_size": ["party_too_large"]
    }
    assert codes(Rules(group=5), party_size=0) == {"party_size": ["invalid_party_size"]}


def test_group_needs_a_name():
    assert codes(Rules(group=40), party_size=30) == {"group_name": ["group_name_required"]}


def test_id_required_needs_number_and_separate_consent():
    assert codes(Rules(id_required=True)) == {
        "id_number": ["required"],
        "id_consent": ["id_consent_required"],
    }
    assert codes(Rules(id_required=True), id_number=TEST_ID[:-1] + "1", id_consent=True) == {
        "id_number": ["invalid_resident_id"]
    }


@pytest.mark.parametrize(
    ("id_type", "number", "expected"),
    [
        ("passport", "E12345678", {}),
        ("passport", "e1234 5678", {}),
        ("hk_macao", "H1234567801", {}),
        ("taiwan", "12345678", {}),
        ("foreign_residence", "USA110079060108", {}),
        ("passport", "E1", {"id_number": ["invalid_document"]}),
        ("passport", "E123-456", {"id_number": ["invalid_document"]}),
        ("driving_licence", "E12345678", {"id_type": ["invalid_id_type"]}),
    ],
)
def test_other_document_types(id_type, number, expected):
    assert codes(Rules(id_required=True), id_type=id_type, id_number=number, id_consent=True) == (
        expected
    )


def test_id_not_asked_where_not_required():
    assert codes(Rules(), id_number="whatever") == {}


def test_child_under_14_needs_guardian_and_consent():
    assert codes(Rules(), is_minor=True) == {
        "guardian_name": ["guardian_required"],
        "guardian_consent": ["guardian_consent_required"],
    }
    assert codes(Rules(), is_minor=True, guardian_name="李妈妈", guardian_consent=True) == {}


def test_child_resident_id_makes_the_booking_a_minors():
    errors = codes(Rules(id_required=True), id_number=a_child_id(), id_consent=True)
    assert errors == {
        "guardian_name": ["guardian_required"],
        "guardian_consent": ["guardian_consent_required"],
    }


def test_person_identity_by_id_where_required_else_by_phone():
    by_id = person_identity(
        Rules(id_required=True),
        BookingRequest(name="a", phone="13800000000", id_number=" 11010519491231002x"),
    )
    assert by_id == f"id:resident_id:{TEST_ID}"
    by_phone = person_identity(Rules(), BookingRequest(name="a", phone="+86 138 1234 5678"))
    assert by_phone == "phone:13812345678"


def test_resident_id_builder_is_valid():
    assert is_resident_id(resident_id())
