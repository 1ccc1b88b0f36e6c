"""The default --jobs respects a container's CPU quota, not just the affinity mask."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pdlint.cpus import available_cpus, cgroup_cpu_limit


def fake(tmp_path: Path, proc: str, files: dict[str, str]) -> tuple[Path, Path]:
    proc_cgroup = tmp_path / "proc-self-cgroup"
    proc_cgroup.write_text(proc)
    root = tmp_path / "sys-fs-cgroup"
    root.mkdir()
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return proc_cgroup, root


@pytest.mark.parametrize(
    ("proc", "files", "expected"),
    [
        # cgroup v2, docker --cpus 2 (the container sees its own cgroup at the root)
        ("0::/\n", {"cpu.max": "200000 100000\n"}, 2),
        # a fractional quota rounds up: 1.5 CPUs -> 2 workers
        ("0::/\n", {"cpu.max": "150000 100000\n"}, 2),
        ("0::/\n", {"cpu.max": "max 100000\n"}, None),
        # the host's path is named but only the mount point exists in the container
        ("0::/system.slice/docker-abc.scope\n", {"cpu.max": "100000 100000\n"}, 1),
        # a nested cgroup: the smallest limit on the way up wins
        ("0::/ci/job\n", {"ci/cpu.max": "300000 100000\n", "ci/job/cpu.max": "max 100000\n"}, 3),
        ("0::/ci/job\n", {"ci/cpu.max": "800000 100000\n", "ci/job/cpu.max": "400000 100000\n"},
         4),
        # cgroup v1
        ("12:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n",
         {"cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "250000\n",
          "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000\n"}, 3),
        ("12:cpu,cpuacct:/\n", {"cpu,cpuacct/cpu.cfs_quota_us": "-1\n",
                                "cpu,cpuacct/cpu.cfs_period_us": "100000\n"}, None),
        # nonsense never raises
        ("garbage\n0::/\n", {"cpu.max": "lots of cpus\n"}, None),
        ("0::/\n", {}, None),
    ],
)
def test_cgroup_cpu_limit(tmp_path: Path, proc: str, files: dict[str, str],
                          expected: int | None) -> None:
    proc_cgroup, root = fake(tmp_path, proc, files)
    assert cgroup_cpu_limit(proc_cgroup, root) == expected


def test_no_cgroup_file_means_no_limit(tmp_path: Path) -> None:
    assert cgroup_cpu_limit(tmp_path / "missing", tmp_path) is None


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no affinity mask here")
@pytest.mark.parametrize(("cpu_max", "extra", "capped"),
                         [("100000 100000", 0, True), ("max 100000", 0, False),
                          (None, 5, False)])
def test_available_cpus_is_capped_by_the_quota_and_at_least_one(
        tmp_path: Path, cpu_max: str | None, extra: int, capped: bool) -> None:
    affinity = len(os.sched_getaffinity(0))
    quota = cpu_max or f"{(affinity + extra) * 100000} 100000"
    proc_cgroup, root = fake(tmp_path, "0::/\n", {"cpu.max": quota + "\n"})
    assert available_cpus(proc_cgroup, root) == (1 if capped else affinity)
