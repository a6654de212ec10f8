"""Bad input at the library level: ``convert`` raises ``DocumentLoadError`` (never anything
else) with a one-line reason, ``convert_file`` turns it into ``Result.error``, and nothing
unsafe (entity resolution, network, unbounded decompression) happens on the way.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from jixiao import convert, convert_file
from jixiao.converters.docx import package
from jixiao.converters.docx.package import PackageLimits, WordPackage, parse_xml
from jixiao.exceptions import DocumentLoadError, UnsafeDocumentError, UnsupportedFormatError
from tests.converters.docx import bad_docs as bad

# name -> (builder, expected exception type, words the one-line reason must contain)
CASES: dict[str, tuple[bad.Builder, type[DocumentLoadError], str]] = {
    "empty": (bad.empty_file, DocumentLoadError, "empty file"),
    "plain-text": (bad.plain_text, UnsupportedFormatError, "content is text"),
    "binary-junk": (bad.binary_junk, UnsupportedFormatError, "binary data"),
    "truncated-zip": (bad.truncated_seed, DocumentLoadError, "corrupt or truncated ZIP"),
    "zip-not-office": (bad.zip_not_office, UnsupportedFormatError, "not an Office document"),
    "no-document-xml": (bad.ooxml_without_document, DocumentLoadError, "no word/document.xml"),
    "not-well-formed": (bad.not_well_formed, DocumentLoadError, "is not well-formed XML"),
    "no-body": (bad.document_without_body, DocumentLoadError, "no w:body"),
    "encrypted-member": (bad.encrypted_member, DocumentLoadError, "is encrypted"),
    "broken-deflate": (bad.broken_deflate, DocumentLoadError, "is corrupt in the ZIP"),
    "unknown-compression": (bad.unknown_compression, DocumentLoadError, "unsupported ZIP"),
    "future-zip-version": (bad.future_zip_version, DocumentLoadError, "unsupported or damaged"),
}


def _one_line(message: str | None) -> str:
    assert message, "an error must say why"
    assert "\n" not in message and "\r" not in message, repr(message)
    return message


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_raises_document_load_error(case: str, tmp_path: Path) -> None:
    builder, kind, words = CASES[case]
    path = builder(tmp_path / "bad.docx")
    with pytest.raises(kind) as info:
        convert(path)
    assert words in _one_line(str(info.value))


@pytest.mark.parametrize("case", list(CASES))
def test_convert_file_reports_bad_input_as_result(case: str, tmp_path: Path) -> None:
    builder, _, words = CASES[case]
    result = convert_file(builder(tmp_path / "bad.docx"))
    assert result.document is None and not result.ok
    assert words in _one_line(result.error)
    assert "internal error" not in (result.error or "")


def test_directory_and_missing_path(tmp_path: Path) -> None:
    folder = tmp_path / "folder.docx"
    folder.mkdir()
    with pytest.raises(DocumentLoadError, match="not a regular file"):
        convert(folder)
    with pytest.raises(DocumentLoadError, match="no such file"):
        convert(tmp_path / "missing.docx")
    assert convert_file(tmp_path / "missing.docx").error == "no such file"


def test_the_good_seed_still_converts(tmp_path: Path) -> None:
    # The DOCTYPE scan and the caps must not reject a real document, nor the styled sample.
    assert convert(bad.GOOD_SEED).tables
    styled = bad.docx_with_document(tmp_path / "styled.docx", bad.STYLED_DOCUMENT)
    assert [b.text for b in convert(styled).blocks] == ["好"]


# --- entities: refused, never resolved ------------------------------------------------


def _assert_refused(path: Path, leaked: tuple[str, ...]) -> None:
    with pytest.raises(UnsafeDocumentError) as info:
        convert(path)
    message = _one_line(str(info.value))
    assert "refused" in message
    result = convert_file(path)
    assert result.document is None and result.error == message
    for secret in leaked:
        assert secret not in message


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text("JIXIAO-SECRET-7f3a9c\n", "utf-8")
    return secret


def test_external_file_entity_is_refused_not_resolved(tmp_path: Path, secret_file: Path) -> None:
    for target in (secret_file.as_uri(), "file:///etc/passwd"):
        path = bad.docx_with_document(tmp_path / "xxe.docx", bad.entity_document(target))
        _assert_refused(path, leaked=("JIXIAO-SECRET", "root:"))


@pytest.fixture
def listener() -> Iterator[bad.Listener]:
    port = bad.Listener()
    yield port
    port.close()


def test_external_http_entity_never_touches_the_network(
    tmp_path: Path, listener: bad.Listener
) -> None:
    url = f"http://127.0.0.1:{listener.port}/x"
    path = bad.docx_with_document(tmp_path / "ssrf.docx", bad.entity_document(url))
    _assert_refused(path, leaked=())
    # an external DTD and an external parameter entity: neither may be fetched either
    for xml in (
        f'<!DOCTYPE d SYSTEM "{url}.dtd"><d/>',
        f'<!DOCTYPE d [<!ENTITY % p SYSTEM "{url}.ent"> %p;]><d/>',
    ):
        with pytest.raises(UnsafeDocumentError, match="refused"):
            parse_xml(xml.encode(), "word/document.xml")
    assert listener.connections() == 0


def test_parser_itself_never_resolves_entities(secret_file: Path, listener: bad.Listener) -> None:
    # Second lock: even past the DOCTYPE scan, the parser expands nothing and fetches nothing.
    url = f"http://127.0.0.1:{listener.port}/x"
    for target in (secret_file.as_uri(), url):
        root = package.etree.fromstring(bad.entity_document(target), package._parser())
        assert "JIXIAO-SECRET" not in "".join(root.itertext())
    assert listener.connections() == 0


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    path = bad.docx_with_document(tmp_path / "laughs.docx", bad.billion_laughs_document())
    _assert_refused(path, leaked=("lollol",))


@pytest.mark.parametrize("part", ["_rels/.rels", "word/styles.xml"])
def test_entities_in_other_parts_are_refused(part: str, tmp_path: Path) -> None:
    xml = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    path = bad.docx_with(tmp_path / "xxe.docx", {part: xml, bad.DOCUMENT: bad.STYLED_DOCUMENT})
    with pytest.raises(UnsafeDocumentError, match=rf"^{re.escape(part)} declares a DTD.*refused"):
        convert(path)


def test_utf16_doctype_is_refused(tmp_path: Path) -> None:
    xml = bad.entity_document("file:///etc/passwd").decode().replace("UTF-8", "UTF-16")
    path = bad.docx_with_document(tmp_path / "xxe16.docx", xml.encode("utf-16"))
    _assert_refused(path, leaked=("root:",))


# --- decompression caps ---------------------------------------------------------------


@pytest.fixture(scope="session")
def real_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100 MB of white space in word/document.xml: about 0.5 MB on disk, past the 64 MB cap."""
    return bad.bomb(tmp_path_factory.mktemp("bomb") / "bomb.docx", 100 * 1024 * 1024)


def test_zip_bomb_with_default_caps_is_refused(real_bomb: Path) -> None:
    assert real_bomb.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(UnsafeDocumentError) as info:
        convert(real_bomb)
    message = _one_line(str(info.value))
    assert message.startswith("word/document.xml would decompress to 104857613 bytes")
    assert f"limit is {package.MAX_PART_BYTES}" in message


def test_lowered_part_cap_applies_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package, "DEFAULT_LIMITS", PackageLimits(max_part_bytes=50_000))
    path = bad.bomb(tmp_path / "bomb.docx", 200_000)
    with pytest.raises(UnsafeDocumentError, match="limit is 50000"):
        convert(path)


def test_total_cap_counts_real_bytes(tmp_path: Path) -> None:
    # each part is under the part cap; together they pass the total cap
    big = b"<r>" + b" " * 90_000 + b"</r>"
    path = bad.docx_with(tmp_path / "many.docx", {"word/a.xml": big, "word/b.xml": big})
    limits = PackageLimits(max_part_bytes=100_000, max_total_bytes=150_000)
    with WordPackage(path, limits) as pkg:
        assert len(pkg.read("word/a.xml")) == len(big)
        with pytest.raises(UnsafeDocumentError, match=r"word/b\.xml decompresses past the size"):
            pkg.read("word/b.xml")


def test_declared_size_lie_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # headers claim 1 000 bytes (under the cap), the stream really inflates to 1 000 000
    monkeypatch.setattr(package, "DEFAULT_LIMITS", PackageLimits(max_part_bytes=10_000))
    path = bad.lying_size(tmp_path / "liar.docx", 1_000_000, 1_000, prefix_crc=False)
    with pytest.raises(DocumentLoadError, match=r"word/document\.xml is corrupt in the ZIP"):
        convert(path)


def test_self_consistent_size_lie_never_yields_more_than_declared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Even with a CRC that matches the declared prefix, reading stops at the declared size:
    # no more than 1 000 bytes reach memory, and the cut-off XML is rejected.
    monkeypatch.setattr(package, "DEFAULT_LIMITS", PackageLimits(max_part_bytes=10_000))
    path = bad.lying_size(tmp_path / "liar.docx", 1_000_000, 1_000, prefix_crc=True)
    with WordPackage(path) as pkg:
        assert len(pkg.read(bad.DOCUMENT)) == 1_000
    with pytest.raises(DocumentLoadError, match="not well-formed XML"):
        convert(path)


def test_member_count_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "DEFAULT_LIMITS", PackageLimits(max_members=5))
    path = bad.docx_with(tmp_path / "many.docx", {f"word/m{i}.xml": b"<m/>" for i in range(6)})
    with pytest.raises(UnsafeDocumentError, match=r"members; limit is 5$"):
        convert(path)


# --- damage anywhere: always DocumentLoadError, never a crash -------------------------


def _damaged_seeds(tmp_path: Path) -> Iterator[Path]:
    data = bad.GOOD_SEED.read_bytes()
    rnd = random.Random(20240611)
    for i in range(1, 12):
        path = tmp_path / f"cut{i}.docx"
        path.write_bytes(data[: len(data) * i // 12])
        yield path
    for i in range(40):
        damaged = bytearray(data)
        for _ in range(1 + i % 4):
            damaged[rnd.randrange(len(damaged))] = rnd.randrange(256)
        path = tmp_path / f"flip{i}.docx"
        path.write_bytes(bytes(damaged))
        yield path


def test_damaged_seed_never_raises_anything_but_document_load_error(tmp_path: Path) -> None:
    for path in _damaged_seeds(tmp_path):
        try:
            convert(path)
        except DocumentLoadError as exc:
            _one_line(str(exc))
        # a flipped byte in an unread member or a text run may still convert: that is fine


def test_crc_of_seed_member_is_checked(tmp_path: Path) -> None:
    path = bad.docx_with(tmp_path / "crc.docx", {})
    with WordPackage(path) as pkg:
        crc = zlib.crc32(pkg.read(bad.DOCUMENT))
    bad.patch_member(path, bad.DOCUMENT, crc=crc ^ 0xFFFF)
    with pytest.raises(DocumentLoadError, match="Bad CRC-32"):
        convert(path)
