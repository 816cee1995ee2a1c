"""The tracker's lookup protocol: from a query code to one sealed record in one bucket file.

Shared by the tracker plugin (which seals), ``invoke lookup`` (which opens, from
the published files only) and mirrored by ``themes/sunshine/static/js/track.js``
(which opens in the browser with Web Crypto). ``docs/privacy.md`` gives the
threat model and the arithmetic behind the parameters.

For a canonical code ``C`` (16 symbols, dashes removed)::

    dk     = PBKDF2-HMAC-SHA256(password=C, salt=SALT, iterations=ITERATIONS, 32 bytes)
    key    = dk[0:16]            AES-128-GCM key of the case's record
    word   = uint32(dk[16:20])   chooses the bucket: (word * buckets) >> 32
    mac    = dk[20:32]           the case's own key for its per-entry values

A bucket file carries an *epoch*, 16 bytes that change whenever anything in
the bucket changes, and every per-record value comes from the case's own key
and the epoch, never from the site secret. A record (uint16 length,
raw-deflated JSON, zero padding) is sealed once with AES-GCM, and the
ciphertext (GCM tag included) is cut into chunks of CHUNK bytes, each one
*entry* of the bucket file::

    nonce  = HMAC-SHA256(mac, "nonce" | epoch)[0:12]    one epoch fixes every plaintext,
                                                        so a nonce never meets two
    tag_i  = HMAC-SHA256(mac, "entry" | epoch | uint8 i)[0:8]   finds the i-th chunk

A lookup collects chunks 0, 1, 2 … until the next tag is not in the file.

So a rewritten bucket gives every record in it new tags and new ciphertexts:
two builds cannot be diffed to follow a case, and whoever knows the site
secret still needs a case's code to open or even recognise its record. The
epoch is a hash of the bucket's contents (each case's keys and plaintext), so
the same store gives the same bytes: builds stay deterministic and an
unchanged bucket is not rewritten.

Bucket file (``/track/b/<bucket as 5 hex digits>.bin``)::

    b"SNB2" | epoch (16) | uint16 entry count | uint16 CHUNK | entries sorted by tag,
    then zero bytes up to a size class
    entry = tag (8) | CHUNK bytes of a record's ciphertext

Every entry on the site has the same size, filler included, and which
entries belong to one case only its key tells: a file shows how many chunks
its cases fill together, never a case's size or stage. (Padding each record
to the longest in its bucket would do the same at 60% more bytes a lookup;
chunks of one ciphertext cost about what the bare records did.)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic_core import to_json

from sunshine.cases.query_code import normalise

MAGIC = b"SNB2"
AAD = b"sunshine-tracker-v2"
TAG_BYTES = 8
NONCE_BYTES = 12
GCM_TAG_BYTES = 16
EPOCH_BYTES = 16
HEADER = struct.Struct(f">4s{EPOCH_BYTES}sHH")
SCHEME = "2"
"""Bumped when the derivation's layout changes: every key is derived again."""
CHUNK = 96
"""Ciphertext bytes an entry holds; a record takes as many entries as it needs.
(Measured on the demo's records: 96 wastes least in padding and tags together.)"""
ENTRY_BYTES = TAG_BYTES + CHUNK
MIN_RECORDS = 16
"""A bucket never holds fewer cases than this: the build picks the bucket count so."""
MIN_ENTRIES = 4 * MIN_RECORDS
"""Filler entries make up at least this many, so that a bucket of filler alone (no
cases yet) looks like one of sixteen cases of a typical four chunks."""
SIZE_CLASS = 4096
"""Bucket files are padded to a multiple of this, so a file's size is only a coarse class."""

CODE_BITS = 75
"""Entropy of a query code: 15 free symbols of a 32-symbol alphabet (the 16th is a check)."""
MARGIN_BITS = 64
"""The least the brief allows: log2 of the SHA-256 evaluations guessing any one case costs."""
MARGIN_AT = 10_000_000
"""The published count the default iterations are chosen for."""


@dataclass(frozen=True)
class Params:
    """The public parameters a lookup needs; written into the /track/ page."""

    salt: bytes
    iterations: int
    buckets: int

    def as_attributes(self) -> dict[str, str]:
        return {
            "salt": self.salt.hex(),
            "iterations": str(self.iterations),
            "buckets": str(self.buckets),
        }


@dataclass(frozen=True)
class Derived:
    """What the key derivation gives for one code."""

    key: bytes
    word: int  # 32 bits that choose the bucket, whatever the number of buckets
    mac: bytes

    def bucket(self, buckets: int) -> int:
        return bucket_of(self.word, buckets)

    def nonce(self, epoch: bytes) -> bytes:
        return hmac.digest(self.mac, b"nonce" + epoch, "sha256")[:NONCE_BYTES]

    def tag(self, epoch: bytes, index: int) -> bytes:
        """The tag of the record's ``index``-th entry in a bucket of ``epoch``."""
        return hmac.digest(self.mac, b"entry" + epoch + bytes([index]), "sha256")[:TAG_BYTES]

    def to_bytes(self) -> bytes:
        return self.key + struct.pack(">I", self.word) + self.mac

    @classmethod
    def from_bytes(cls, raw: bytes) -> Derived:
        return cls(raw[:16], struct.unpack(">I", raw[16:20])[0], raw[20:32])


def salt_for(secret: str) -> bytes:
    """The public per-deployment salt: a one-way function of the site secret."""
    return hashlib.sha256(b"sunshine-tracker-salt\0" + secret.encode()).digest()[:16]


def guessing_margin(published: int, iterations: int) -> float:
    """log2 of the SHA-256 evaluations a guesser spends, on average, to open any one case.

    A random code is some published case's with probability N / 2^75; testing
    it costs one PBKDF2 block, ``iterations`` HMACs of two SHA-256 each.
    """
    return CODE_BITS - math.log2(max(published, 1)) + math.log2(2 * iterations)


def margin_warning(published: int, iterations: int) -> str | None:
    """A line for the build's report when ``published`` cases erode the guessing margin."""
    bits = guessing_margin(published, iterations)
    if bits >= MARGIN_BITS:
        return None
    needed = math.ceil(2 ** (MARGIN_BITS - CODE_BITS + math.log2(published) - 1))
    return (
        f"warning: {published:,} published cases leave guessing any one of them 2^{bits:.2f}"
        f" SHA-256 evaluations, under 2^{MARGIN_BITS}: set SUNSHINE_KDF_ITERATIONS to at least"
        f" {needed} (docs/privacy.md)"
    )


def bucket_of(word: int, buckets: int) -> int:
    """Map 32 uniform bits onto ``buckets`` buckets evenly (multiply-shift, exact in JS doubles)."""
    return (word * buckets) >> 32


def smallest_bucket(words: Iterable[int], buckets: int) -> int:
    """How many real records the emptiest of the buckets would hold."""
    counts = [0] * buckets
    for word in words:
        counts[(word * buckets) >> 32] += 1
    return min(counts)


TARGET_PER_BUCKET = 40
"""Average cases per bucket aimed for: enough that the emptiest of tens of
thousands of hashed buckets still holds MIN_RECORDS, few enough that a bucket
file stays well under the 40 KB a lookup may transfer."""


def choose_buckets(words: list[int], previous: int | None = None) -> int:
    """A bucket count such that every bucket holds at least MIN_RECORDS real cases.

    Buckets are chosen by hashing, so counts vary; the build knows every case and
    checks the emptiest bucket rather than trusting an average. The previous
    count is kept while it still holds and the average stays within bounds, so
    a rebuild after a few changes does not move every case to a new bucket.
    """
    if len(words) < 2 * MIN_RECORDS:
        return 1
    if (
        previous
        and TARGET_PER_BUCKET * 0.6 <= len(words) / previous <= TARGET_PER_BUCKET * 1.6
        and smallest_bucket(words, previous) >= MIN_RECORDS
    ):
        return previous
    count = max(1, len(words) // TARGET_PER_BUCKET)
    while count > 1 and smallest_bucket(words, count) < MIN_RECORDS:
        count = count * 9 // 10
    return count


def derive(code: str, salt: bytes, iterations: int) -> Derived:
    """Run the key derivation for a canonical code (dashes optional)."""
    canonical = normalise(code)
    if canonical is None:
        raise ValueError("not a query code")
    dk = hashlib.pbkdf2_hmac(
        "sha256", canonical.replace("-", "").encode("ascii"), salt, iterations, 32
    )
    return Derived.from_bytes(dk)


def _deflate(data: bytes) -> bytes:
    # Raw deflate, which the browser's DecompressionStream("deflate-raw") reads.
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def plaintext(record: dict[str, Any]) -> bytes:
    """A record as sealed: uint16 length and raw-deflated JSON (the bucket pads it).

    Made once per changed case and kept in the store; the bucket seals it.
    """
    # pydantic-core's encoder is several times faster than json's; key order is
    # the record's own, which is built the same way every time (deterministic).
    packed = _deflate(to_json(record))
    if len(packed) + 2 + GCM_TAG_BYTES > 256 * CHUNK:
        raise ValueError("a tracker record is too long to seal")
    return struct.pack(">H", len(packed)) + packed


@dataclass(frozen=True)
class Sealable:
    """One case as a bucket needs it: its derived keys, its plaintext and their digest."""

    derived: bytes  # Derived.to_bytes()
    plain: bytes
    digest: bytes
    """Names this case's content without revealing it (the epoch is made of these)."""

    @classmethod
    def of(cls, derived: bytes, plain: bytes) -> Sealable:
        return cls(derived, plain, hashlib.sha256(derived + plain).digest())


def epoch_of(bucket: int, buckets: int, digests: Iterable[bytes]) -> bytes:
    """The bucket's epoch: new whenever a record in it (or the bucket layout) changes."""
    h = hashlib.sha256(b"sunshine-epoch\0" + struct.pack(">II", bucket, buckets))
    for digest in sorted(digests):
        h.update(digest)
    return h.digest()[:EPOCH_BYTES]


def _seal(item: Sealable, epoch: bytes) -> list[bytes]:
    derived = Derived.from_bytes(item.derived)
    plain = item.plain + b"\0" * (-(len(item.plain) + GCM_TAG_BYTES) % CHUNK)
    sealed = AESGCM(derived.key).encrypt(derived.nonce(epoch), plain, AAD)
    return [
        derived.tag(epoch, index) + sealed[start : start + CHUNK]
        for index, start in enumerate(range(0, len(sealed), CHUNK))
    ]


def _filler(seed: bytes, index: int) -> bytes:
    """An entry no code opens, indistinguishable from a real one without a code."""
    stream = b""
    counter = 0
    while len(stream) < ENTRY_BYTES:
        stream += hashlib.sha256(seed + struct.pack(">II", index, counter)).digest()
        counter += 1
    return stream[:ENTRY_BYTES]


def bucket_file(items: Sequence[Sealable], bucket: int, buckets: int) -> bytes:
    """A bucket's bytes: every case's entries sealed for this epoch, sorted by tag."""
    digests = [item.digest for item in items]
    epoch = epoch_of(bucket, buckets, digests)
    entries = [entry for item in items for entry in _seal(item, epoch)]
    # Filler from the bucket's contents, which only the cases' keys make: not
    # even the site secret tells a filler entry from a case's.
    seed = hashlib.sha256(b"sunshine-filler\0" + epoch + b"".join(sorted(digests))).digest()
    entries += [_filler(seed, index) for index in range(len(entries), MIN_ENTRIES)]
    entries.sort()
    body = HEADER.pack(MAGIC, epoch, len(entries), CHUNK) + b"".join(entries)
    return body + b"\0" * (-len(body) % SIZE_CLASS)


def file_epoch(data: bytes) -> bytes | None:
    """The epoch a bucket file was sealed for (None if it is not a bucket file of this scheme)."""
    if len(data) < HEADER.size or data[:4] != MAGIC:
        return None
    return data[4 : 4 + EPOCH_BYTES]


def bucket_name(bucket: int) -> str:
    return f"{bucket:05x}.bin"


def open_record(data: bytes, derived: Derived) -> dict[str, Any] | None:
    """Find and decrypt the record for ``derived`` in a bucket file; None if it is not there."""
    if len(data) < HEADER.size or data[:4] != MAGIC:
        raise ValueError("not a bucket file")
    _, epoch, count, chunk = HEADER.unpack_from(data)
    size = TAG_BYTES + chunk
    offsets = {
        data[offset : offset + TAG_BYTES]: offset + TAG_BYTES
        for offset in range(HEADER.size, HEADER.size + count * size, size)
    }
    sealed = b""
    for index in range(256):
        start = offsets.get(derived.tag(epoch, index))
        if start is None:
            break
        sealed += data[start : start + chunk]
    if not sealed:
        return None
    plain = AESGCM(derived.key).decrypt(derived.nonce(epoch), sealed, AAD)
    (packed,) = struct.unpack(">H", plain[:2])
    text = zlib.decompressobj(-15).decompress(plain[2 : 2 + packed])
    return dict(json.loads(text.decode()))
