"""Masking personal data: property tests (length kept, ends kept, middle hidden)."""

import string

from hypothesis import given
from hypothesis import strategies as st

from sciweek.common.masking import mask_email, mask_id_number, mask_name, mask_phone

DIGITS = st.text(alphabet=string.digits, min_size=0, max_size=24)
ID_CHARS = st.text(alphabet=string.digits + "X", min_size=0, max_size=24)
NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Z", "C"]), min_size=0, max_size=12
)


def test_examples():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("37030319900101123X") == "370303********123X"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_name("李") == "李"
    assert mask_email("zhangsan@example.com") == "z***@example.com"
    assert mask_email("no-at-sign") == "n********n"


@given(DIGITS)
def test_mask_phone_keeps_length_and_last_four(phone):
    masked = mask_phone(phone)
    assert len(masked) == len(phone)
    if len(phone) >= 7:
        assert masked[:3] == phone[:3]
        assert masked[-4:] == phone[-4:]
        assert set(masked[3:-4]) <= {"*"}
    else:
        assert masked == "*" * len(phone)


@given(ID_CHARS)
def test_mask_id_number_keeps_length_region_and_last_four(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    if len(number) > 10:
        assert masked[:6] == number[:6]
        assert masked[-4:] == number[-4:]
        assert masked[6:-4] == "*" * (len(number) - 10)
    else:
        assert masked == "*" * len(number)


@given(ID_CHARS.filter(lambda n: len(n) == 18))
def test_mask_id_number_hides_the_birth_date(number):
    # Positions 7-14 of a resident ID number are the date of birth.
    assert mask_id_number(number)[6:14] == "********"


@given(st.text(alphabet=string.digits, min_size=7, max_size=20), st.sampled_from([" ", "\t", ""]))
def test_mask_phone_ignores_surrounding_whitespace(phone, pad):
    assert mask_phone(f"{pad}{phone}{pad}") == mask_phone(phone)


@given(NAMES)
def test_mask_name_keeps_length_and_first_character(name):
    masked = mask_name(name)
    assert len(masked) == len(name)
    if name:
        assert masked[0] == name[0]
    if len(name) >= 2:
        assert set(masked[1:-1]) <= {"*"}
        assert "*" in masked


@given(
    st.text(alphabet=string.ascii_lowercase + string.digits + "._", min_size=1, max_size=20),
    st.from_regex(r"[a-z]{1,10}\.[a-z]{2,4}", fullmatch=True),
)
def test_mask_email_keeps_first_letter_and_domain_only(local, domain):
    masked = mask_email(f"{local}@{domain}")
    assert masked == f"{local[0]}***@{domain}"
