"""Project hygiene: dependency lists agree, notebooks are stored without outputs."""

import json
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~ ;\[]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = {_name(r) for r in py["project"]["dependencies"]}
    wanted |= {_name(r) for r in py["project"]["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip = {_name(d) for d in env["dependencies"] if isinstance(d, dict) for d in d.get("pip", [])}
    assert conda | (pip - {"-e"}) == wanted


def test_notebooks_are_stored_without_outputs():
    nbs = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert nbs, "no notebooks found"
    for nb_path in nbs:
        nb = json.loads(nb_path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and not cell.get("execution_count"), nb_path.name


def test_notebooks_have_a_parameters_cell_with_only_gemeente_and_params_file():
    for nb_path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(nb_path.read_text())
        cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(cells) == 1, nb_path.name
        names = set(re.findall(r"^(\w+)\s*=", "".join(cells[0]["source"]), re.M))
        assert names == {"gemeente", "params_file"}, nb_path.name


def test_readme_test_command_is_what_ci_runs():
    assert "make test" in (ROOT / "README.md").read_text()
    assert "make test" in (ROOT / ".ci" / "run").read_text()
