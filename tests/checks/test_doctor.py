"""`python -m support doctor`: passes on a good machine, names each problem and its fix."""

from __future__ import annotations

import os

import support.doctor as doctor


def test_this_environment_is_ready(capsys):
    assert doctor.run_doctor() == 0
    out = capsys.readouterr().out
    assert "Ready for the workshop." in out
    assert "\u2717" not in out


def test_the_lock_is_read_with_its_platform_markers(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text(
        "# a comment\n"
        "fastapi==1.0\n"
        "    # via something\n"
        "pywinpty==3.0 ; os_name == 'nt'\n"
        "posix-only==2.0 ; os_name != 'nt'\n",
        encoding="utf-8",
    )
    pins = doctor.locked_versions(lock)
    assert pins["fastapi"] == "1.0"
    assert ("pywinpty" in pins) == (os.name == "nt")
    assert ("posix-only" in pins) == (os.name != "nt")


def test_a_package_that_differs_from_the_lock_is_named_with_its_fix(monkeypatch):
    monkeypatch.setattr(doctor, "locked_versions", lambda: {"fastapi": "0.0.1", "nope-pkg": "1"})
    result = doctor.check_packages()
    assert not result.ok
    assert "fastapi" in result.detail and "(lock: 0.0.1)" in result.detail
    assert "nope-pkg missing" in result.detail
    assert "make setup" in result.fix


def test_any_failure_makes_the_exit_code_non_zero(monkeypatch, capsys):
    def broken():
        raise RuntimeError("something went wrong\nsecond line")

    monkeypatch.setattr(
        doctor,
        "CHECKS",
        [("Python", doctor.check_python), ("Broken", broken)],
    )
    assert doctor.run_doctor() == 1
    out = capsys.readouterr().out
    assert "Broken" in out and "RuntimeError: something went wrong" in out
    assert "fix:" in out and "1 problem(s) to fix" in out
