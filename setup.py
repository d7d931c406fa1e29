"""Everything about the distribution is in pyproject.toml; this adds one step to the build.

The sample packs' source is `topics/` at the top of the checkout (authors work there, and
`kiosk pack validate topics/sample-en` reads it), outside the `kiosk` package. A wheel holds
only packages, so an installed kiosk would show no samples: the build copies `topics/` into
the package as `kiosk/sample_topics/`, where `kiosk.paths.bundled_topics()` finds it. A
checkout and an editable install read `topics/` itself. A frozen bundle does the same as the
wheel: add `("topics", "kiosk/sample_topics")` to its data files.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "topics"


class BuildWithSamples(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:  # an editable install reads topics/ where it is
            self.copy_tree(str(SOURCE), str(Path(self.build_lib, "kiosk", "sample_topics")))


setup(cmdclass={"build_py": BuildWithSamples})
