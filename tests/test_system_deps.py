"""``scripts/system-deps.sh`` installs what every documented format needs, each need checked
on its own: run on made-up machines (stub ``soffice``, ``fc-list``, ``ldconfig``,
``dpkg-query``, ``apt-get`` … on a PATH of their own), it lists and installs what they lack,
and nothing when nothing is missing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "system-deps.sh"
TOOLS = ("dirname", "readlink", "grep", "cat")  # what the script runs besides the stubs
LIBRARIES = "\tlibGL.so.1 (libc6,x86-64) => /x/libGL.so.1\n" \
            "\tlibglib-2.0.so.0 (libc6,x86-64) => /x/libglib-2.0.so.0\n"


class Machine:
    """A PATH holding stubs for the commands a machine has, and the real tools needed."""

    def __init__(self, root: Path) -> None:
        self.bin = root / "bin"
        self.tools = root / "tools"
        self.bin.mkdir()
        self.tools.mkdir()
        self.apt_log = root / "apt.log"
        for tool in TOOLS:
            found = shutil.which(tool)
            assert found, f"{tool} is needed to run {SCRIPT.name}"
            (self.tools / tool).symlink_to(found)
        self.stub("ldconfig", f"printf '{LIBRARIES}'")
        self.stub("dpkg-query", "exit 1")  # no package installed
        self.stub("id", "echo 0")  # root: apt-get without sudo
        self.stub("apt-get", f'echo "$*" >> {self.apt_log}')

    def stub(self, name: str, body: str = "exit 0") -> None:
        path = self.bin / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)

    def libreoffice(self, *components: str) -> None:
        """soffice, with its components' libraries beside it (libswlo: Writer, libsclo:
        Calc), as in /usr/lib/libreoffice/program."""
        self.stub("soffice")
        for name in components:
            (self.bin / name).touch()

    def chinese_font(self, families: str) -> None:
        self.stub("fc-list", f"printf '{families}'")

    def everything(self) -> None:
        self.libreoffice("libswlo.so", "libsclo.so")
        self.chinese_font("Noto Sans CJK SC,Noto Sans CJK SC Regular\\n")
        self.stub("chromium")
        self.stub("pg_ctl")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        bash = shutil.which("bash")
        assert bash
        return subprocess.run(
            [bash, str(SCRIPT), *args], env={"PATH": f"{self.bin}:{self.tools}"},
            capture_output=True, text=True, timeout=60, check=False,
        )

    def listed(self) -> list[str]:
        done = self.run("--list")
        assert done.returncode == 0, done.stderr
        return done.stdout.split()


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(tmp_path)


def test_writer_without_calc_or_a_chinese_font(machine: Machine) -> None:
    machine.everything()
    (machine.bin / "libsclo.so").unlink()
    machine.chinese_font("")  # fontconfig, but no font covering Chinese
    assert machine.listed() == ["libreoffice-calc-nogui", "fonts-noto-cjk"]


def test_a_bare_machine_gets_everything(machine: Machine) -> None:
    listed = machine.listed()
    assert {"libgl1", "libglib2.0-0"}.isdisjoint(listed)  # the stub linker knows them
    assert {"libreoffice-writer-nogui", "libreoffice-calc-nogui", "fontconfig",
            "fonts-noto-cjk", "chromium"} <= set(listed)


def test_the_gui_build_of_libreoffice_gets_the_gui_calc(machine: Machine) -> None:
    machine.everything()
    (machine.bin / "libsclo.so").unlink()
    machine.stub("dpkg-query", '[ "$3" = libreoffice-core ] && printf "install ok installed"')
    assert machine.listed() == ["libreoffice-calc"]


def test_missing_libraries_are_listed(machine: Machine) -> None:
    machine.everything()
    machine.stub("ldconfig", "printf '\\tlibc.so.6 (libc6,x86-64) => /x/libc.so.6\\n'")
    assert machine.listed() == ["libgl1", "libglib2.0-0"]


def test_nothing_missing_is_quiet_and_installs_nothing(machine: Machine) -> None:
    machine.everything()
    assert machine.listed() == []
    done = machine.run()
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert not machine.apt_log.exists()


def test_what_is_missing_is_installed_with_apt(machine: Machine) -> None:
    machine.everything()
    (machine.bin / "libsclo.so").unlink()
    machine.chinese_font("")
    done = machine.run()
    assert done.returncode == 0, done.stderr
    assert "installing system packages: libreoffice-calc-nogui fonts-noto-cjk" in done.stdout
    assert machine.apt_log.read_text().splitlines() == [
        "update -q",
        "install -y -q --no-install-recommends libreoffice-calc-nogui fonts-noto-cjk",
    ]


def test_unknown_option_is_a_usage_error(machine: Machine) -> None:
    done = machine.run("--install-everything")
    assert done.returncode == 2 and "usage" in done.stderr
