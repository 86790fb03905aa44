"""The docs describe what exists: every table, make target and command; README's one-liners run."""

from __future__ import annotations

import re
import shlex
import subprocess

from pipeline.paths import REPO_ROOT
from schemas.dictionary import load_dictionary

README = (REPO_ROOT / "README.md").read_text()


def test_every_table_is_in_readme() -> None:
    for table in load_dictionary().tables:
        assert f"`{table}`" in README, table


def test_every_public_make_target_is_in_readme() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text()
    targets = re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M)
    for target in set(targets) - {"install", "lint", "clean", "system-packages"}:
        assert f"make {target}" in README, target


def test_every_cli_command_is_in_readme() -> None:
    from pipeline.cli import main

    help_text = subprocess.run(
        [str(REPO_ROOT / ".venv/bin/python"), "-m", "pipeline.cli", "--help"], capture_output=True, text=True
    ).stdout
    commands = re.search(r"\{([a-z,-]+)\}", help_text)
    assert commands and main is not None
    for command in commands.group(1).split(","):
        assert command in README, command


def test_every_column_and_vocabulary_is_described() -> None:
    d = load_dictionary()
    for table in d.tables.values():
        assert table.description
        for column in table.columns:
            assert len(column.description) > 5, (table.name, column.name)
            if column.vocabulary:
                assert column.vocabulary in d.vocabularies


def _one_liners() -> list[str]:
    block = re.search(r"## Use the data.*?```bash\n(.*?)```", README, flags=re.S)
    assert block
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_one_liners_run_against_the_published_files(built) -> None:
    lines = _one_liners()
    assert any("duckdb" in ln for ln in lines) and any("pandas" in ln for ln in lines)
    assert any(ln.startswith("Rscript") for ln in lines)
    for line in lines:
        cmd = line.replace(".venv/bin/python", str(REPO_ROOT / ".venv/bin/python"))
        proc = subprocess.run(shlex.split(cmd), cwd=built.paths.out_dir, capture_output=True, text=True)
        assert proc.returncode == 0, (line, proc.stderr[-500:])
        assert proc.stdout.strip(), line
