"""A content-addressed cache of per-file facts.

Extraction is a pure function of (file bytes, where the file sits, pdlint's version, the
configuration that affects extraction), so its result can be stored under a hash of exactly
those inputs and reused until one of them changes. A warm run reads and hashes every file
(cheap), loads the stored facts and re-runs only the project-level link phase and rules.

Entries are written atomically (temporary file + ``os.replace``), so two pdlint processes
running at once never see a half-written entry; an entry that is corrupt, truncated, from
another version or not ours is ignored and rebuilt. Facts are serialised
by ``pickle`` through an unpickler that only admits pdlint's own facts classes, so loading
a cache entry never runs code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdlint import __version__
from pdlint import facts as facts_module
from pdlint.facts import FileFacts

MAGIC = b"PDLC2"
CACHE_DIR_NAME = ".pdlint_cache"
#: Entries no run has used for this long are removed by :meth:`FactsCache.prune`.
MAX_AGE = 30 * 24 * 3600.0
#: Pruning runs at most this often (it lists the whole cache directory).
PRUNE_EVERY = 24 * 3600.0
_TEMP_MAX_AGE = 3600.0
_GITIGNORE = "# Automatically created by pdlint.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by pdlint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_CLASSES: dict[str, type] = {
    name: obj
    for name, obj in vars(facts_module).items()
    if isinstance(obj, type) and dataclasses.is_dataclass(obj)
}


class _FactsUnpickler(pickle.Unpickler):
    """Unpickles pdlint's facts dataclasses and nothing else (no code runs on load)."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "pdlint.facts" and name in _CLASSES:
            return _CLASSES[name]
        raise pickle.UnpicklingError(f"not a pdlint facts class: {module}.{name}")


def dumps(facts: FileFacts) -> bytes:
    payload = pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)
    return MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload


def loads(data: bytes) -> FileFacts | None:
    """Facts from a cache entry, or None if it is not a valid entry."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        return None
    checksum = int.from_bytes(data[len(MAGIC): len(MAGIC) + 4], "big")
    payload = data[len(MAGIC) + 4:]
    if zlib.crc32(payload) != checksum:
        return None
    try:
        value = _FactsUnpickler(io.BytesIO(payload)).load()
    except Exception:  # any malformed entry is a miss, whatever the unpickler raises
        return None
    return value if isinstance(value, FileFacts) else None


def _code_fingerprint() -> str:
    """A digest of the code that produces facts.

    The pdlint version alone would let a development checkout (or a patched install) reuse
    entries written by different extraction code; hashing the sources of the extraction
    modules makes any change to them a cache miss. Costs a few milliseconds per run.
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    patterns = ("extract/*.py", "facts.py", "classify.py", "lexicon.py", "tags.py",
                "testrefs.py", "taxonomy.py", "inputs.py")
    for pattern in patterns:
        for path in sorted(package.glob(pattern)):
            try:
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
            except OSError:
                digest.update(path.name.encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class EntryWriter:
    """Writes entries into one cache directory. Small and picklable: worker processes store
    what they extract themselves, so the main process does not serialise every result a
    second time (on a cold django run that was over a second of serial work)."""

    directory: Path

    def put(self, key: str, facts: FileFacts) -> bool:
        """Store facts atomically; False (never an exception) when the disk refuses."""
        try:
            target = _entry_path(self.directory, key)
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(dumps(facts))
                os.replace(temp, target)
            except BaseException:
                try:
                    os.unlink(temp)
                except OSError:
                    pass
                raise
        except OSError:
            return False
        return True


def _entry_path(directory: Path, key: str) -> Path:
    return directory / "facts" / key[:2] / f"{key[2:]}.bin"


class FactsCache:
    """Facts stored by content hash under ``directory`` (``.pdlint_cache/`` by default)."""

    def __init__(self, directory: Path, extraction_fingerprint: str) -> None:
        self.directory = directory
        self.salt = f"{__version__}\x1f{_code_fingerprint()}\x1f{extraction_fingerprint}".encode()
        self.hits = 0
        self.misses = 0
        self.used: set[str] = set()  # keys read or written by this run (kept by prune())
        self._started = time.time()
        self._ready = False

    def key(self, data: bytes, rel: str, module: str, is_test: bool) -> str:
        digest = hashlib.sha256(self.salt)
        digest.update(f"\x1f{rel}\x1f{module}\x1f{int(is_test)}\x1f".encode())
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return _entry_path(self.directory, key)

    def get(self, key: str) -> FileFacts | None:
        path = self._path(key)
        try:
            with open(path, "rb") as stream:
                modified = os.fstat(stream.fileno()).st_mtime
                data = stream.read()
        except OSError:
            self.misses += 1
            return None
        found = loads(data)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.used.add(key)
        if self._started - modified > PRUNE_EVERY:
            # the modification time says "last used": what prune() goes by, whichever
            # run (or project sharing the directory) prunes next
            try:
                os.utime(path)
            except OSError:
                pass
        return found

    @property
    def writer(self) -> EntryWriter:
        """What worker processes use to store the entries they extract."""
        self._prepare()
        return EntryWriter(self.directory)

    def prune(self, now: float | None = None) -> int:
        """Drop entries no scan has used for ``MAX_AGE`` seconds; returns how many.

        Entries are immutable and content-addressed, so every edit of every file adds one:
        without pruning, a cache kept between CI runs grows for ever. An entry's
        modification time is its last use: writing sets it and :meth:`get` refreshes it
        when it is more than a day old. At most once per ``PRUNE_EVERY`` (a stamp file
        records the last time), entries older than ``MAX_AGE`` that this run did not use
        are removed, with temporary files left behind by killed writers. So a project that
        shares the directory loses only entries it has not used for a month.
        Never fails a scan: any error just stops the pruning.
        """
        now = time.time() if now is None else now
        facts_dir = self.directory / "facts"
        stamp = self.directory / "last-prune"
        try:
            if not facts_dir.is_dir():
                return 0
            try:
                since = now - stamp.stat().st_mtime
                if 0 <= since < PRUNE_EVERY:  # a stamp from the future (clock skew) is stale
                    return 0
            except FileNotFoundError:
                pass
            stamp.touch()
            os.utime(stamp, (now, now))
        except OSError:
            return 0
        removed = 0
        for shard_name in _names(facts_dir):
            shard = facts_dir / shard_name
            for name in _names(shard):
                path = shard / name
                try:
                    age = now - path.stat().st_mtime
                    if name.startswith(".tmp-"):
                        if age > _TEMP_MAX_AGE:
                            path.unlink()
                        continue
                    if (age > MAX_AGE
                            and f"{shard_name}{name.removesuffix('.bin')}" not in self.used):
                        path.unlink()
                        removed += 1
                except OSError:
                    continue
        return removed

    def _prepare(self) -> None:
        """Create the directory with its .gitignore and CACHEDIR.TAG (never raises: an
        unwritable cache only means entries are not stored)."""
        if self._ready:
            return
        self._ready = True
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            path = self.directory / name
            if not path.exists():
                try:
                    path.write_text(text, encoding="utf-8")
                except OSError:
                    pass


def _names(directory: Path) -> list[str]:
    try:
        return sorted(os.listdir(directory))
    except OSError:  # not a directory, vanished, unreadable
        return []


def clear(directory: Path) -> int:
    """Remove every cache entry under ``directory``; returns how many files were removed."""
    removed = 0
    facts_dir = directory / "facts"
    if not facts_dir.is_dir():
        return 0
    for path in sorted(facts_dir.rglob("*"), reverse=True):
        try:
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()
                removed += 1
        except OSError:
            pass
    return removed
