#!/usr/bin/env python3
"""Fails when a source file includes a header from a top-level folder it may not depend on.

The allowed arrows are those of ../shared/design/ARCHITECTURE.md; a folder may include itself and
every folder reachable along the arrows. tests/ may include anything. Usage:
    check_includes.py ROOT    (exit 0: clean; exit 1: prints each violation as file:line)
"""
import pathlib
import re
import sys

# Direct arrows of ARCHITECTURE.md: folder -> folders it depends on.
ARROWS = {
    "base": [],
    "engine": ["base"],
    "sandbox": ["base"],
    "index": ["base"],
    "tools": ["sandbox", "index", "base"],
    "agent": ["engine", "tools", "index", "base"],
    "evals": ["agent", "base"],
    "cli": ["evals", "agent", "engine", "tools", "sandbox", "index", "base"],
}
SOURCE_SUFFIXES = {".h", ".hpp", ".cc", ".cpp", ".cu", ".cuh", ".c"}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def reachable(folder):
    """The folders `folder` may include: itself and everything along the arrows."""
    seen, pending = set(), [folder]
    while pending:
        current = pending.pop()
        if current not in seen:
            seen.add(current)
            pending.extend(ARROWS[current])
    return seen


def violations(root):
    """Yields 'path:line: message' for every include that breaks the direction rule."""
    root = pathlib.Path(root)
    for folder in sorted(ARROWS):
        allowed = reachable(folder)
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for number, line in enumerate(text.splitlines(), start=1):
                match = INCLUDE.match(line)
                if not match:
                    continue
                target = match.group(1).split("/", 1)[0]
                if "/" in match.group(1) and target in ARROWS and target not in allowed:
                    yield (f"{path.relative_to(root)}:{number}: {folder}/ may not include "
                           f"{match.group(1)} ({folder} depends only on "
                           f"{', '.join(sorted(allowed - {folder})) or 'nothing'})")


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    found = list(violations(argv[1]))
    for violation in found:
        print(violation)
    print(f"check_includes: {len(found)} violation(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
