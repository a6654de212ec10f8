"""Make docs/standardized-*.png: a seed form as published (its .docx printed by LibreOffice)
beside the same form from ``jixiao convert --to docx`` (printed the same way).

Run from the repository root (needs LibreOffice; pages are rasterised with pypdfium2):

    .venv/bin/python docs/make_pictures.py
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont, ImageOps

from jixiao import convert
from jixiao.writers.docx import render_pdf
from jixiao.writers.docx.pdf import docx_to_pdf

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
# (seed, words on the page to show, picture name)
PICTURES = [
    ("yuanjiang-2024.docx", "办案经费", "standardized-yuanjiang.png"),
    ("laoting-2024.docx", "见义勇为工作经费绩效目标表", "standardized-laoting.png"),
]
SCALE = 1.4  # ≈ 100 dpi
CAPTIONS = ("原件（已发布的 Word）", "jixiao convert --to docx")


def _page(pdf: bytes, words: str) -> Image.Image:
    doc = pdfium.PdfDocument(pdf)
    for page in doc:
        if words in page.get_textpage().get_text_range():
            image: Image.Image = page.render(scale=SCALE).to_pil().convert("L")
            box = ImageOps.invert(image).getbbox()
            if box is None:
                return image
            pad = 12
            return image.crop((max(box[0] - pad, 0), max(box[1] - pad, 0),
                               min(box[2] + pad, image.width), min(box[3] + pad, image.height)))
    raise SystemExit(f"no page with {words!r}")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC:bold"],
                               capture_output=True, text=True, check=False).stdout.strip()
        if found:
            return ImageFont.truetype(found, size)
    return ImageFont.load_default()


def side_by_side(left: Image.Image, right: Image.Image) -> Image.Image:
    gap, head = 36, 44
    width = left.width + right.width + 3 * gap
    height = max(left.height, right.height) + head + gap
    out = Image.new("L", (width, height), 255)
    font = _font(22)
    draw = ImageDraw.Draw(out)
    for x, image, caption in ((gap, left, CAPTIONS[0]),
                              (2 * gap + left.width, right, CAPTIONS[1])):
        draw.text((x, 10), caption, fill=90, font=font)
        out.paste(image, (x, head))
    draw.line([(left.width + 1.5 * gap, head), (left.width + 1.5 * gap, height - gap)],
              fill=200, width=2)
    return out


def main() -> None:
    for seed, words, name in PICTURES:
        path = SEEDS / seed
        original = _page(docx_to_pdf(path.read_bytes()), words)
        regenerated = _page(render_pdf(convert(path)), words)
        picture = side_by_side(original, regenerated).quantize(colors=16)
        target = ROOT / "docs" / name
        picture.save(target, optimize=True)
        print(f"wrote {target.relative_to(ROOT)} ({target.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
