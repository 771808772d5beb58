#!/usr/bin/env python3
"""Tests of check_includes.py on small synthetic trees, then on the real source tree."""
import pathlib
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import check_includes  # noqa: E402

SOURCE_ROOT = pathlib.Path(__file__).resolve().parents[2]


def make_tree(files):
    directory = tempfile.TemporaryDirectory()
    for name, text in files.items():
        path = pathlib.Path(directory.name) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return directory


class CheckIncludesTest(unittest.TestCase):
    def check(self, files):
        with make_tree(files) as root:
            return list(check_includes.violations(root))

    def test_allowed_edges_pass(self):
        self.assertEqual(self.check({
            "engine/a.h": '#include "base/result.h"\n#include <vector>\n',
            "tools/b.cc": '#include "sandbox/policy.h"\n#include "index/store.h"\n',
            "evals/c.cc": '#include "agent/loop.h"\n#include "sandbox/policy.h"\n',
            "cli/d.cc": '#include "evals/task.h"\n',
        }), [])

    def test_upward_include_fails(self):
        found = self.check({"engine/a.cc": '#include "base/x.h"\n#include "agent/loop.h"\n'})
        self.assertEqual(len(found), 1)
        self.assertIn("engine/a.cc:2", found[0])
        self.assertIn("agent/loop.h", found[0])

    def test_sideways_include_fails(self):
        self.assertEqual(len(self.check({"sandbox/a.h": '#  include <index/store.h>\n'})), 1)
        self.assertEqual(len(self.check({"index/a.cu": '#include "engine/tensor.h"\n'})), 1)
        self.assertEqual(len(self.check({"base/a.h": '#include "cli/main.h"\n'})), 1)

    def test_third_party_headers_are_ignored(self):
        self.assertEqual(self.check({"base/a.h": '#include <tree_sitter/api.h>\n#include "x.h"\n'}),
                         [])

    def test_source_tree_is_clean(self):
        self.assertEqual(list(check_includes.violations(SOURCE_ROOT)), [])


if __name__ == "__main__":
    unittest.main()
