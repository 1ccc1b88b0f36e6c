"""How many CPUs this process may really use: the default for ``--jobs``.

``os.cpu_count()`` is the machine's total. The affinity mask (``taskset``, ``docker --cpuset-cpus``)
narrows it, but a CPU *quota* (``docker --cpus 2``, Kubernetes ``limits.cpu``, most CI runners)
does not show in either: a container limited to two CPUs on a 64-core host would start 64
workers that the kernel then throttles. Like Rust's ``available_parallelism``, the quota is read
from the process's cgroup (v2 ``cpu.max``, v1 ``cpu.cfs_quota_us``/``cpu.cfs_period_us``),
including its ancestors, and the smallest limit wins. Anything unreadable means "no quota".
"""

from __future__ import annotations

import math
import os
from pathlib import Path

PROC_CGROUP = Path("/proc/self/cgroup")
CGROUP_ROOT = Path("/sys/fs/cgroup")


def available_cpus(proc_cgroup: Path = PROC_CGROUP, cgroup_root: Path = CGROUP_ROOT) -> int:
    """CPUs the process may run on, capped by its cgroup CPU quota; at least 1."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS/Windows have no affinity mask
        count = os.cpu_count() or 1
    quota = cgroup_cpu_limit(proc_cgroup, cgroup_root)
    if quota is not None:
        count = min(count, quota)
    return max(1, count)


def cgroup_cpu_limit(proc_cgroup: Path = PROC_CGROUP,
                     cgroup_root: Path = CGROUP_ROOT) -> int | None:
    """The CPU quota of this process's cgroup in whole CPUs (rounded up), or None."""
    try:
        lines = proc_cgroup.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    limits: list[int] = []
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        if controllers == "":  # cgroup v2: "0::/user.slice/…"
            for directory in _candidates(cgroup_root, path):
                limit = _v2_limit(directory / "cpu.max")
                if limit is not None:
                    limits.append(limit)
        elif "cpu" in controllers.split(","):  # cgroup v1: "4:cpu,cpuacct:/docker/…"
            mounts = (cgroup_root / controllers, cgroup_root / "cpu", cgroup_root / "cpu,cpuacct")
            for mount in mounts:
                found = [limit for directory in _candidates(mount, path)
                         if (limit := _v1_limit(directory)) is not None]
                if found:
                    limits.extend(found)
                    break
    return min(limits) if limits else None


def _candidates(mount: Path, path: str) -> list[Path]:
    """The cgroup's directory and its ancestors up to the mount point.

    Inside a container the path in /proc/self/cgroup may name the host's hierarchy while the
    container sees its own cgroup at the mount point: then only the mount point exists.
    """
    out: list[Path] = []
    current = mount.joinpath(*[part for part in path.split("/") if part and part != ".."])
    while True:
        if current.is_dir():
            out.append(current)
        if current == mount or mount not in current.parents:
            break
        current = current.parent
    return out


def _v2_limit(cpu_max: Path) -> int | None:
    try:
        fields = cpu_max.read_text(encoding="ascii", errors="replace").split()
    except OSError:
        return None
    if len(fields) < 1 or fields[0] == "max":
        return None
    period = fields[1] if len(fields) > 1 else "100000"
    return _whole_cpus(fields[0], period)


def _v1_limit(directory: Path) -> int | None:
    try:
        quota = (directory / "cpu.cfs_quota_us").read_text(encoding="ascii").strip()
        period = (directory / "cpu.cfs_period_us").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return _whole_cpus(quota, period)


def _whole_cpus(quota: str, period: str) -> int | None:
    try:
        quota_value, period_value = int(quota), int(period)
    except ValueError:
        return None
    if quota_value <= 0 or period_value <= 0:  # -1: no limit (v1)
        return None
    return max(1, math.ceil(quota_value / period_value))
