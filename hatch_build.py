"""Build hook: compile the package's five Cython modules, where a C compiler is present.

``boilerplate/_walk.pyx`` is the compiled walk of segmentation (the same blocks as the Python walk in
``boilerplate.segmentation``); ``boilerplate/_features.pyx`` counts what the features are made of and works
the features out of the counts (the same counts and matrix as the Python code in ``boilerplate.features``);
``boilerplate/_trees.pyx`` walks the boosted trees (the same scores as scikit-learn's);
``boilerplate/_gates.pyx`` scans a page's short texts for the lexicon's gates (the same masks as
``boilerplate.lexicon``'s Python scan); ``boilerplate/_kinds.pyx`` runs the kind rules' loop over a page's
blocks (the same guesses as ``boilerplate.kinds``' Python loop). ``_features`` and ``_kinds`` include
``boilerplate/_blocks.pxi``, what both need of a block. Into ``_trees`` goes the shipped model's trees written
out as C code (``boilerplate/treecode.py``, from ``models/*.trees.npz``), which score them in less than half
the time of the walk. Each takes a fraction of the time of what it stands in for. Where they cannot be built,
the build goes on with a warning and the package uses the Python code and scikit-learn: slower, never
different.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def write_shipped_trees(root: Path, shipped: bool = True) -> Path:
    """Write ``boilerplate/_shipped_trees.c``, the trees of every table in ``models/`` as code, for ``_trees``
    (with ``shipped=False``, an empty table: the walk then scores every model).

    The package is not installed yet, so ``treecode.py`` (numpy and the standard library) is loaded by path.
    """
    spec = importlib.util.spec_from_file_location("_treecode", root / "boilerplate" / "treecode.py")
    treecode = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(treecode)
    tables = sorted((root / "models").glob("*.trees.npz")) if shipped else []
    boosters = [trees for table in tables for trees in treecode.load_table(table)]
    target = root / "boilerplate" / "_shipped_trees.c"
    source = treecode.c_source(boosters, origin=", ".join(f"models/{t.name}" for t in tables))
    if not target.exists() or target.read_text() != source:  # unchanged code is not compiled again
        target.write_text(source)
    return target


def compile_modules(root: Path, shipped: bool = True) -> list[Path]:
    """Compile the modules in place, beside their sources, and return the extension modules' paths.

    ``shipped=False`` leaves the shipped model's trees out of ``_trees`` (see :func:`write_shipped_trees`).
    """
    import lxml
    from Cython.Build import cythonize
    from setuptools import Distribution, Extension

    extensions = [
        # The walk reads lxml's elements through lxml's C API and libxml2's headers, both shipped with lxml.
        Extension("boilerplate._walk", ["boilerplate/_walk.pyx"], include_dirs=lxml.get_include()),
        # The shipped model's trees as code are included from boilerplate/_shipped_trees.c.
        Extension("boilerplate._trees", ["boilerplate/_trees.pyx"], depends=[str(write_shipped_trees(root, shipped))]),
        Extension("boilerplate._gates", ["boilerplate/_gates.pyx"]),
        Extension("boilerplate._features", ["boilerplate/_features.pyx"]),
        Extension("boilerplate._kinds", ["boilerplate/_kinds.pyx"]),
    ]
    here = os.getcwd()
    os.chdir(root)
    try:
        with tempfile.TemporaryDirectory() as temp:
            modules = cythonize(extensions, quiet=True, compiler_directives={"language_level": 3})
            dist = Distribution({"name": "boilerplate", "ext_modules": modules, "script_name": "hatch_build.py"})
            command = dist.get_command_obj("build_ext")
            command.inplace = True
            command.build_temp = temp
            dist.run_command("build_ext")
            built = [Path(command.get_ext_fullpath(e.name)).resolve() for e in extensions]
    finally:
        os.chdir(here)
    return built


class CompileHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        try:
            try:
                built = compile_modules(Path(self.root))
            except Exception as exc:  # a compiler that cannot take the trees as code still builds the rest
                print(f"boilerplate: the shipped model's trees were not compiled ({exc})", file=sys.stderr)
                built = compile_modules(Path(self.root), shipped=False)
        except Exception as exc:  # no compiler, no headers: the Python walk and scikit-learn serve
            print(f"boilerplate: the compiled modules were not built ({exc}); pure Python is used", file=sys.stderr)
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        # An editable install reads the package from the source tree, where the modules were built.
        if version != "editable":
            for path in built:
                build_data["force_include"][str(path)] = f"boilerplate/{path.name}"
