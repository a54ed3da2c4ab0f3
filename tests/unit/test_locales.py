"""Every string of the web client exists in both languages, and the files stay sorted."""

from __future__ import annotations

import json
import re
from pathlib import Path

LOCALES = Path(__file__).resolve().parents[2] / "src" / "hobnail" / "web" / "static" / "locales"
JS = LOCALES.parent / "js"


def load(name: str) -> dict[str, str]:
    return json.loads((LOCALES / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_both_languages_have_the_same_keys_sorted_and_filled() -> None:
    english, chinese = load("en.json"), load("zh-CN.json")
    assert sorted(english) == sorted(chinese)
    assert list(english) == sorted(english) and list(chinese) == sorted(chinese)
    assert [k for k, v in {**english, **chinese}.items() if not str(v).strip()] == []


def test_placeholders_match_between_languages() -> None:
    english, chinese = load("en.json"), load("zh-CN.json")
    placeholder = re.compile(r"\{(\w+)\}")
    mismatched = [k for k in english if set(placeholder.findall(english[k])) != set(placeholder.findall(chinese[k]))]
    assert mismatched == []


def test_keys_used_in_the_code_exist() -> None:
    english = load("en.json")
    used = set()
    for path in JS.rglob("*.js"):
        code = "\n".join(
            line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("//")
        )
        used |= set(re.findall(r"""\bt\(\s*["']([a-z][\w.-]+)["']""", code))
    missing = sorted(key for key in used if key not in english)
    assert missing == []
