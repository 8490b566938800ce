"""Words live in ui/: no module of rules/ holds a sentence a person would read. Any string
literal with a space between two letters counts as one (in an f-string a placeholder counts
as a word, when the literal text has a word of its own), except docstrings, the messages of
programming errors (ValueError, TypeError) and regular expressions' alternatives (a|b c)."""

import ast
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parent.parent / "src" / "kehu" / "rules"
PROGRAMMING_ERRORS = {"ValueError", "TypeError", "AssertionError"}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _error_messages(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            if isinstance(func, ast.Name) and func.id in PROGRAMMING_ERRORS:
                found.update(id(n) for arg in node.exc.args for n in ast.walk(arg))
    return found


def _looks_like_words(text: str) -> bool:
    return any(
        a.isalpha() and b == " " and c.isalpha()
        for a, b, c in zip(text, text[1:], text[2:], strict=False)
    )


def _has_a_word(text: str) -> bool:
    return any(a.isalpha() and b.isalpha() for a, b in zip(text, text[1:], strict=False))


def sentences(source: str) -> list[str]:
    """The string literals of `source` that read like words for a person."""
    tree = ast.parse(source)
    skip = _docstrings(tree) | _error_messages(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = literal = node.value
        elif isinstance(node, ast.JoinedStr):
            skip.update(id(value) for value in node.values)
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            # A placeholder reads as a word: f"Bought {product} on {day}" is caught.
            text = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
        else:
            continue
        if "|" in text:  # a regular expression's alternatives
            continue
        if _has_a_word(literal) and _looks_like_words(text):
            found.append(text)
    return found


@pytest.mark.parametrize("path", sorted(RULES.glob("*.py")), ids=lambda p: p.name)
def test_no_sentence_in_rules(path):
    assert sentences(path.read_text(encoding="utf-8")) == []


def test_the_check_catches_a_sentence_creeping_back():
    source = '''
def _promise(promise, when):
    """Docstrings may speak."""
    if when is None:
        raise ValueError("now must be timezone-aware")
    reason = f"Promised: {promise.text} — due {when}"
    label = "last reached"
    named = f"{promise.title} {promise.name}"
    return reason, label, named, "thank-you", "7d", f"{promise.id}.1m", r"ceo|general manager"
'''
    assert sentences(source) == ["Promised: x — due x", "last reached"]
