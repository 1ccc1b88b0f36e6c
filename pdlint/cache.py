"""A content-addressed cache of per-file facts.

Extraction is a pure function of (file bytes, where the file sits, pdlint's version, the
configuration that affects extraction), so its result can be stored under a hash of exactly
those inputs and reused until one of them changes. A warm run reads and hashes every file
(cheap), loads the stored facts and re-runs only the project-level link phase and rules.

An entry's file name is not trusted: CI caches are restored from other branches and
directories are shared, so an entry renamed over another (or written by anything else) must
not stand in for the file it is found under. Each entry therefore carries its full key
material (the file's content hash, its path, module and test flag, pdlint's version and code
fingerprint, the extraction fingerprint) and :meth:`FactsCache.get` compares it with what the
engine asks for before unpickling anything: any difference is a miss, and the engine then
rewrites the entry. The comparison costs one short byte-string compare; the file's bytes are
hashed once, as they always were, to form the key.

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
import struct
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdlint import __version__
from pdlint import facts as facts_module
from pdlint.discover import path_bytes
from pdlint.facts import FileFacts

#: Format: MAGIC, CRC-32 of the rest, header length (4 bytes), header (the key material,
#: see :func:`key_material`), pickled facts. PDLC2 entries had no header: they are misses.
MAGIC = b"PDLC3"
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


def key_material(salt: bytes, content_hash: bytes, rel: str, module: str,
                 is_test: bool) -> bytes:
    """Everything an entry is built from, as one byte string: its key is this string's hash
    and the entry stores it verbatim, so a lookup can check the entry really is the one it
    asked for.

    The field lengths come first, so no file name can make two different inputs encode
    alike (a name may contain any byte but ``/`` and NUL). Paths and module names may carry
    lone surrogates (file names that are not UTF-8): :func:`~pdlint.discover.path_bytes`
    encodes them back to their bytes instead of raising. (One ``struct.pack`` and one
    ``join``: this runs once per file on every warm scan.)
    """
    path = path_bytes(rel)
    name = path_bytes(module)
    return b"".join((_LENGTHS.pack(len(salt), len(content_hash), len(path), len(name)),
                     salt, content_hash, path, name, b"1" if is_test else b"0"))


_LENGTHS = struct.Struct(">IIII")
_DIGEST_SIZE = hashlib.sha256().digest_size  # of the content hash inside the material


class CacheKey(str):
    """An entry's key (the hex digest that names its file) carrying its key material.

    It is a ``str`` so that the engine can pass it around as the opaque key it always was
    (into the jobs sent to worker processes, into ``FactsCache.used``); the material rides
    along so that :meth:`EntryWriter.put`, which may run in a worker, can store it in the
    entry and :meth:`FactsCache.get` can verify it, without the engine knowing about either.
    """

    material: bytes

    def __new__(cls, value: str, material: bytes) -> CacheKey:
        key = super().__new__(cls, value)
        key.material = material
        return key

    def __reduce__(self) -> tuple[Any, ...]:  # keeps the material across processes
        return (CacheKey, (str(self), self.material))


def dumps(facts: FileFacts, material: bytes = b"") -> bytes:
    """An entry: ``material`` (see :func:`key_material`) followed by the pickled facts."""
    payload = pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)
    body = len(material).to_bytes(4, "big") + material + payload
    return MAGIC + zlib.crc32(body).to_bytes(4, "big") + body


_HEAD = len(MAGIC) + 8  # magic, CRC-32, header length


def loads(data: bytes, expected: bytes | None = None) -> FileFacts | None:
    """Facts from a cache entry, or None if it is not a valid entry.

    With ``expected`` key material, also None unless the entry was built from exactly that
    material (checked before the checksum and the unpickling, so a foreign entry costs a
    compare). Without it, only the entry's integrity is checked (tests, diagnostics).
    """
    if len(data) < _HEAD or not data.startswith(MAGIC):
        return None
    size = int.from_bytes(data[_HEAD - 4:_HEAD], "big")
    if len(data) < _HEAD + size:
        return None
    material = data[_HEAD:_HEAD + size]
    if expected is not None and material != expected:
        return None
    checksum = int.from_bytes(data[len(MAGIC):_HEAD - 4], "big")
    if zlib.crc32(memoryview(data)[_HEAD - 4:]) != checksum:
        return None
    try:
        value = _FactsUnpickler(io.BytesIO(memoryview(data)[_HEAD + size:])).load()
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
    # knowledge/*.py: extraction reads the registry (request sources, log sinks, test clients)
    patterns = ("extract/*.py", "knowledge/*.py", "facts.py", "classify.py", "lexicon.py",
                "tags.py", "testrefs.py", "taxonomy.py", "inputs.py")
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
        """Store facts atomically; False (never an exception) when the disk refuses.

        ``key`` must be a :class:`CacheKey` from :meth:`FactsCache.key`: an entry without
        its key material could never be verified, so a plain string stores nothing.
        """
        material = getattr(key, "material", None)
        if not isinstance(material, bytes) or not material:
            return False
        try:
            target = _entry_path(self.directory, key)
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(dumps(facts, material))
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


def _describes(facts: FileFacts, material: bytes, salt: bytes) -> bool:
    """Whether the unpickled ``facts`` are about the file ``material`` names: a second
    check, on the payload itself, after the header's (no hashing: the content hash is the
    one inside ``material``). The unpickler admits only facts classes, but not only
    well-typed values in them: a forged entry must be a miss here, not a crash."""
    if not (isinstance(facts.path, str) and isinstance(facts.module, str)
            and isinstance(facts.is_test, bool)):
        return False
    start = _LENGTHS.size + len(salt)
    content_hash = material[start:start + _DIGEST_SIZE]
    return key_material(salt, content_hash, facts.path, facts.module,
                        facts.is_test) == material


def _entry_path(directory: Path, key: str) -> Path:
    return directory / "facts" / key[:2] / f"{key[2:]}.bin"


class FactsCache:
    """Facts stored by content hash under ``directory`` (``.pdlint_cache/`` by default)."""

    def __init__(self, directory: Path, extraction_fingerprint: str) -> None:
        self.directory = directory
        self.salt = f"{__version__}\x1f{_code_fingerprint()}\x1f{extraction_fingerprint}".encode()
        self.hits = 0
        self.misses = 0
        self.rejected = 0  # entries present but corrupt or built from other inputs (misses)
        self.used: set[str] = set()  # keys read or written by this run (kept by prune())
        self._started = time.time()
        self._ready = False

    def key(self, data: bytes, rel: str, module: str, is_test: bool) -> CacheKey:
        """The key of the entry for these inputs. ``data`` is hashed once (the only
        per-byte cost of a warm scan); the key is the hash of the short key material, which
        the key carries for :meth:`put <EntryWriter.put>` and :meth:`get` (see
        :class:`CacheKey`)."""
        material = key_material(self.salt, hashlib.sha256(data).digest(), rel, module, is_test)
        return CacheKey(hashlib.sha256(material).hexdigest(), material)

    def _path(self, key: str) -> Path:
        return _entry_path(self.directory, key)

    def get(self, key: str) -> FileFacts | None:
        """The facts stored for ``key`` (a :class:`CacheKey`), or None.

        None unless the entry's stored key material is the key's own and the facts name
        the same file: an entry renamed over another, left by another configuration or
        damaged is a miss (and the engine rewrites it), never a hit.
        """
        material = getattr(key, "material", None)
        if not isinstance(material, bytes) or not material:
            self.misses += 1  # nothing to verify an entry against
            return None
        path = self._path(key)
        try:
            with open(path, "rb") as stream:
                modified = os.fstat(stream.fileno()).st_mtime
                data = stream.read()
        except OSError:
            self.misses += 1
            return None
        found = loads(data, material)
        if found is None or not _describes(found, material, self.salt):
            self.misses += 1
            self.rejected += 1
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
