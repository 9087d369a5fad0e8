"""Build hook: compile ``boilerplate/_walk.pyx``, the compiled walk of segmentation, into the package.

The compiled walk gives the same blocks as the Python one in ``boilerplate.segmentation``, several times
faster. Where it cannot be built (no C compiler), the build goes on with a warning and the package uses
the Python walk: slower, never different.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = "boilerplate/_walk.pyx"


def compile_walk(root: Path) -> Path:
    """Compile the walk in place, beside its source, and return the extension module's path."""
    import lxml
    from Cython.Build import cythonize
    from setuptools import Distribution, Extension

    extension = Extension("boilerplate._walk", [SOURCE], include_dirs=lxml.get_include())
    here = os.getcwd()
    os.chdir(root)
    try:
        with tempfile.TemporaryDirectory() as temp:
            modules = cythonize([extension], quiet=True, compiler_directives={"language_level": 3})
            dist = Distribution({"name": "boilerplate", "ext_modules": modules, "script_name": "hatch_build.py"})
            command = dist.get_command_obj("build_ext")
            command.inplace = True
            command.build_temp = temp
            dist.run_command("build_ext")
            built = Path(command.get_ext_fullpath("boilerplate._walk")).resolve()
    finally:
        os.chdir(here)
    return built


class WalkBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        try:
            built = compile_walk(Path(self.root))
        except Exception as exc:  # no compiler, no headers: the Python walk serves
            print(f"boilerplate: the compiled walk was not built ({exc}); the Python walk is used", file=sys.stderr)
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        # An editable install reads the package from the source tree, where the module was built.
        if version != "editable":
            build_data["force_include"][str(built)] = f"boilerplate/{built.name}"
