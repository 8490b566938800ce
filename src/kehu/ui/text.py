"""Text from the book made safe to print: a name must not clear the screen, retitle the
terminal or forge a line of kehu's own."""

import unicodedata

# Format characters that reorder or hide what follows (bidirectional overrides and isolates);
# joiners (U+200D) stay, emoji need them.
_HIDING = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def visible(text: str, *, keep_lines: bool = True) -> str:
    """`text` with every control character shown as an escape (\\x1b, \\u202e); with
    keep_lines, newlines and tabs stay as they are (a draft or a note of several lines)."""
    if text.isprintable():  # the common case, checked in C
        return text
    return "".join(_shown(ch, keep_lines) for ch in text)


def one_line(text: str | None) -> str:
    """One line: newlines and tabs as spaces, any other control character as an escape."""
    if not text:
        return ""
    if text.isprintable():
        return text
    return visible(text.replace("\r\n", " ").translate(_SPACES), keep_lines=False)


_SPACES = {ord("\n"): " ", ord("\t"): " ", ord("\r"): " "}


def _shown(ch: str, keep_lines: bool) -> str:
    if keep_lines and ch in "\n\t":
        return ch
    if unicodedata.category(ch) == "Cc" or ch in _HIDING:
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch
