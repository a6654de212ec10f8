#!/usr/bin/env bash
# System packages jixiao needs beyond PyPI: OpenCV (pulled in by the OCR engine) loads
# libGL and GLib; LibreOffice reads legacy formats; the database tests run a PostgreSQL
# server; the HTML report tests drive headless Chromium. Installs them with apt when
# missing (CI and fresh machines run as root).
set -euo pipefail
missing=()
ldconfig -p | grep -q 'libGL.so.1' || missing+=(libgl1)
ldconfig -p | grep -q 'libglib-2.0.so.0' || missing+=(libglib2.0-0)
# LibreOffice converts legacy Word/WPS, RTF and ODT files to .docx.
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
# Chromium (headless) opens the HTML report in the tests: layout, highlights, a screenshot.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# PostgreSQL server: the database tests (tests/db) start a throwaway cluster of their own.
compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || command -v pg_ctl >/dev/null 2>&1 \
  || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
fi
