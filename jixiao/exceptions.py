"""Bad input is distinct from bugs: only ``JixiaoError`` subclasses are expected failures."""

from __future__ import annotations


class JixiaoError(Exception):
    """Base of every error jixiao raises on purpose."""


class DocumentLoadError(JixiaoError):
    """The input cannot be read as a document: the message says why, in one line."""


class UnsupportedFormatError(DocumentLoadError):
    """The input's format (sniffed from its content) has no converter."""


class UnsafeDocumentError(DocumentLoadError):
    """The input tries something we refuse: external entities, DTDs, decompression bombs."""


class UsageError(JixiaoError):
    """The caller asked for something that does not exist (an unknown output format, …)."""
