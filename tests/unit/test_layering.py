"""The import rules of docs/architecture.md, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "hobnail"
INFRASTRUCTURE = ("core", "db", "models", "events", "jobs", "realtime", "storage")
ABOVE_INFRASTRUCTURE = ("hobnail.domains", "hobnail.api", "hobnail.web", "hobnail.cli", "hobnail.worker")
# Which domains a domain may use: accounts ← files ← messaging ← ding; approvals use accounts and files;
# attendance uses accounts, files and approvals (its submit hooks).
ALLOWED_DOMAINS = {
    "accounts": set(),
    "files": {"accounts"},
    "messaging": {"accounts", "files"},
    "ding": {"accounts", "files", "messaging"},
    "approvals": {"accounts", "files"},
    "attendance": {"accounts", "files", "approvals"},
    "reports": {"accounts", "files", "messaging", "attendance"},
    "integrations": {"accounts", "messaging", "ding"},
    "education": {"accounts", "files", "messaging", "ding"},
}
NEVER_ACROSS = ("repository", "routes")


def imports_of(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def test_infrastructure_never_imports_a_domain_or_the_api() -> None:
    problems = []
    for package in INFRASTRUCTURE:
        for path in (SRC / package).rglob("*.py"):
            upward = [m for m in imports_of(path) if m.startswith(ABOVE_INFRASTRUCTURE)]
            problems += [f"{path.relative_to(SRC)}: {m}" for m in upward]
    assert problems == []


def test_domains_import_each_other_in_one_direction_and_never_repositories_or_routes() -> None:
    problems = []
    for domain, allowed in ALLOWED_DOMAINS.items():
        for path in (SRC / "domains" / domain).rglob("*.py"):
            for module in imports_of(path):
                if not module.startswith("hobnail.domains."):
                    continue
                other = module.split(".")[2]
                if other == domain:
                    continue
                if other not in allowed:
                    problems.append(f"{path.relative_to(SRC)} imports {module}")
                elif any(part in NEVER_ACROSS for part in module.split(".")[3:4]):
                    problems.append(f"{path.relative_to(SRC)} reaches into {module}")
    assert problems == []


def test_only_routes_know_about_http() -> None:
    problems = []
    for path in (SRC / "domains").rglob("*.py"):
        if path.name == "routes.py":
            continue
        for module in imports_of(path):
            if module.startswith(("fastapi", "starlette")):
                problems.append(f"{path.relative_to(SRC)}: {module}")
    assert problems == []
