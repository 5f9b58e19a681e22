"""Uploads: the type comes from the content; the display name is always safe."""

import io
import os
import string

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from sciweek.common.errors import ServiceError
from sciweek.common.uploads import check_document, safe_filename

PDF = b"%PDF-1.4\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("通知.PDF", "通知.pdf"),
        ("report.exe", "report.pdf"),
        ("...", "file.pdf"),
        ("", "file.pdf"),
        ('a<b>c:d*e?f"g|h.pdf', "a_b_c_d_e_f_g_h.pdf"),
        ("line\nbreak\x00.pdf", "linebreak.pdf"),
        (".hidden.pdf", "hidden.pdf"),
    ],
)
def test_safe_filename_examples(name, expected):
    assert safe_filename(name, "pdf") == expected


@given(st.text(max_size=300), st.sampled_from(["pdf", "docx", "xlsx", "png", "jpg"]))
def test_safe_filename_is_always_a_plain_name_with_the_proved_extension(name, extension):
    safe = safe_filename(name, extension)
    assert safe.endswith(f".{extension}")
    assert "/" not in safe
    assert "\\" not in safe
    assert os.path.basename(safe) == safe
    assert not safe.startswith(".")
    assert safe not in {".", ".."}
    assert all(ch.isprintable() for ch in safe)
    assert not set(safe) & set('<>:"|?*')
    assert len(safe) <= 100 + 1 + len(extension)


@given(st.text(alphabet=string.ascii_letters + string.digits + "_-", min_size=1, max_size=50))
def test_safe_filename_keeps_an_ordinary_name(stem):
    stem = stem.strip("_")
    if stem:
        assert safe_filename(f"{stem}.pdf", "pdf") == f"{stem}.pdf"


def test_check_document_accepts_pdf_and_png():
    checked = check_document(SimpleUploadedFile("a.pdf", PDF))
    assert (checked.extension, checked.mime, checked.safe_name) == (
        "pdf",
        "application/pdf",
        "a.pdf",
    )
    checked = check_document(SimpleUploadedFile("photo.jpg", png_bytes()))
    # The content wins: a PNG named .jpg is a PNG.
    assert (checked.extension, checked.mime, checked.safe_name) == ("png", "image/png", "photo.png")


def test_check_document_accepts_docx():
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    checked = check_document(SimpleUploadedFile("方案.docx", buffer.getvalue()))
    assert checked.extension == "docx"
    assert checked.safe_name == "方案.docx"


@pytest.mark.parametrize(
    "content", [b"MZ\x90\x00" + b"\x00" * 100, b"plain text\n", b"", b"<html><script></script>"]
)
def test_check_document_refuses_by_content(content):
    with pytest.raises(ServiceError) as excinfo:
        check_document(SimpleUploadedFile("innocent.pdf", content))
    assert excinfo.value.code == "file_type_refused"


def test_check_document_refuses_oversize_before_reading():
    with pytest.raises(ServiceError) as excinfo:
        check_document(SimpleUploadedFile("a.pdf", PDF + b"0" * 100), max_bytes=50)
    assert excinfo.value.code == "file_too_large"


def test_check_document_respects_allowed_types():
    with pytest.raises(ServiceError) as excinfo:
        check_document(SimpleUploadedFile("a.png", png_bytes()), allowed=("pdf",))
    assert excinfo.value.code == "file_type_refused"
