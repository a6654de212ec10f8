#!/usr/bin/env bash
# System packages jixiao needs beyond PyPI, installed with apt when missing (CI and fresh
# machines run as root; otherwise through sudo). Each need is checked on its own, so a
# machine that has part of one (LibreOffice Writer without Calc) gets the rest; nothing is
# printed when nothing is missing.
#
#   scripts/system-deps.sh          install what is missing
#   scripts/system-deps.sh --list   print what would be installed, one package a line, and
#                                   install nothing (nothing printed: nothing missing)
set -euo pipefail

case "${1:-}" in
  "" | --list) ;;
  *) echo "usage: $0 [--list]" >&2; exit 2 ;;
esac
missing=()

has_library() {  # the dynamic linker knows it (grep reads all: no SIGPIPE under pipefail)
  local ldconfig
  ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
  "$ldconfig" -p 2>/dev/null | grep -F "$1" >/dev/null
}

installed() {  # dpkg has the package installed
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

soffice_program() {  # the folder holding soffice and LibreOffice's components, or nothing
  local binary
  binary="$(command -v soffice || command -v libreoffice || true)"
  [ -z "$binary" ] || dirname "$(readlink -f "$binary")"
}

libreoffice() {  # libreoffice-writer / -calc, the no-GUI build unless the GUI one is there
  local program variant="-nogui"
  installed libreoffice-core && variant=""
  program="$(soffice_program)"
  # Writer: legacy Word/WPS, RTF and ODT files to .docx, and --to pdf. Calc: .xls files
  # (soffice without Calc "converts" a spreadsheet to nothing and exits 0).
  [ -n "$program" ] && [ -e "$program/libswlo.so" ] || missing+=("libreoffice-writer$variant")
  [ -n "$program" ] && [ -e "$program/libsclo.so" ] || missing+=("libreoffice-calc$variant")
}

chinese_font() {
  # LibreOffice prints --to pdf in Noto Sans CJK SC, and PDFium draws the HTML report's page
  # images with a system font where a PDF does not embed its own: without a Chinese font
  # both show boxes. fontconfig finds the fonts (and fc-list tells whether one covers zh).
  if ! command -v fc-list >/dev/null 2>&1; then
    missing+=(fontconfig fonts-noto-cjk)
  elif [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
    missing+=(fonts-noto-cjk)
  fi
}

# OpenCV (pulled in by the OCR engine) loads libGL and GLib.
has_library 'libGL.so.1' || missing+=(libgl1)
has_library 'libglib-2.0.so.0' || missing+=(libglib2.0-0)
libreoffice
chinese_font
# Chromium (headless) opens the HTML report in the tests: layout, highlights, a screenshot.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# PostgreSQL server: the database tests (tests/db) start a throwaway cluster of their own.
compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || command -v pg_ctl >/dev/null 2>&1 \
  || missing+=(postgresql)

if [ "${1:-}" = "--list" ]; then
  [ ${#missing[@]} -eq 0 ] || printf '%s\n' "${missing[@]}"
  exit 0
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
fi
