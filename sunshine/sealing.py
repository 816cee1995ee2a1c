"""The tracker's lookup protocol: from a query code to one sealed record in one bucket file.

Shared by the tracker plugin (which seals), ``invoke lookup`` (which opens, from
the published files only) and mirrored by ``themes/sunshine/static/js/track.js``
(which opens in the browser with Web Crypto). ``docs/privacy.md`` gives the
threat model and the arithmetic behind the parameters.

For a canonical code ``C`` (16 symbols, dashes removed)::

    dk     = PBKDF2-HMAC-SHA256(password=C, salt=SALT, iterations=ITERATIONS, 32 bytes)
    key    = dk[0:16]            AES-128-GCM key of the case's record
    tag    = dk[16:24]           finds the record inside its bucket
    bucket = (uint32(dk[24:28]) * buckets) >> 32      (0 ≤ bucket < buckets)

The salt is public and per deployment (derived from the site secret); the site
secret itself never leaves the build and only makes the build deterministic
(nonces and filler come from HMACs keyed with it), so the same store and secret
give byte-identical files.

Bucket file (``/track/b/<bucket as 5 hex digits>.bin``)::

    b"SNB1" | uint16 record count | records..., then zero bytes up to a size class
    record = tag (8) | uint16 length | nonce (12) | ciphertext+GCM tag (length - 12)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic_core import to_json

from sunshine.query_code import normalise

MAGIC = b"SNB1"
AAD = b"sunshine-tracker-v1"
TAG_BYTES = 8
NONCE_BYTES = 12
MIN_RECORDS = 16
"""A bucket never holds fewer records than this: filler records make up the rest."""
RECORD_BLOCK = 64
"""Plaintexts are padded to a multiple of this, so a record's size says little."""
SIZE_CLASS = 4096
"""Bucket files are padded to a multiple of this, so a file's size is only a coarse class."""


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
    tag: bytes
    word: int  # 32 bits that choose the bucket, whatever the number of buckets

    def bucket(self, buckets: int) -> int:
        return bucket_of(self.word, buckets)

    def to_bytes(self) -> bytes:
        return self.key + self.tag + struct.pack(">I", self.word)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Derived:
        return cls(raw[:16], raw[16:24], struct.unpack(">I", raw[24:28])[0])


def salt_for(secret: str) -> bytes:
    """The public per-deployment salt: a one-way function of the site secret."""
    return hashlib.sha256(b"sunshine-tracker-salt\0" + secret.encode()).digest()[:16]


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
    return Derived(dk[:16], dk[16:24], struct.unpack(">I", dk[24:28])[0])


def _deflate(data: bytes) -> bytes:
    # Raw deflate, which the browser's DecompressionStream("deflate-raw") reads.
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def seal(record: dict[str, Any], derived: Derived, secret: str) -> bytes:
    """One bucket entry: tag, length, nonce and the AES-GCM ciphertext of the padded record.

    The record is compressed (halving a bucket's size), prefixed with its length
    and padded with zero bytes to a multiple of RECORD_BLOCK.
    """
    # pydantic-core's encoder is several times faster than json's; key order is
    # the record's own, which is built the same way every time (deterministic).
    packed = _deflate(to_json(record))
    plain = struct.pack(">H", len(packed)) + packed
    plain += b"\0" * (-len(plain) % RECORD_BLOCK)
    # Deterministic nonce: keyed by the site secret, unique per (key, plaintext).
    nonce = hmac.new(secret.encode(), derived.tag + plain, hashlib.sha256).digest()[:NONCE_BYTES]
    sealed = nonce + AESGCM(derived.key).encrypt(nonce, plain, AAD)
    return derived.tag + struct.pack(">H", len(sealed)) + sealed


def filler(secret: str, bucket: int, index: int, length: int) -> bytes:
    """A record no code opens, indistinguishable from a real one without a code."""
    seed = hmac.new(secret.encode(), f"filler:{bucket}:{index}".encode(), hashlib.sha256).digest()
    stream = b""
    counter = 0
    while len(stream) < TAG_BYTES + length:
        stream += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return stream[:TAG_BYTES] + struct.pack(">H", length) + stream[TAG_BYTES : TAG_BYTES + length]


def bucket_file(entries: Iterable[bytes], secret: str, bucket: int) -> bytes:
    """A bucket's bytes: its entries sorted by tag, filler up to MIN_RECORDS, padding."""
    records = sorted(entries)
    for index in range(len(records), MIN_RECORDS):
        # Filler sizes spread like real records' (nonce + GCM tag + 4 to 7 blocks).
        blocks = (
            4
            + hmac.new(secret.encode(), f"size:{bucket}:{index}".encode(), "sha256").digest()[0] % 4
        )
        records.append(filler(secret, bucket, index, NONCE_BYTES + 16 + blocks * RECORD_BLOCK))
    records.sort()
    body = MAGIC + struct.pack(">H", len(records)) + b"".join(records)
    return body + b"\0" * (-len(body) % SIZE_CLASS)


def bucket_name(bucket: int) -> str:
    return f"{bucket:05x}.bin"


def open_record(data: bytes, derived: Derived) -> dict[str, Any] | None:
    """Find and decrypt the record for ``derived`` in a bucket file; None if it is not there."""
    if data[:4] != MAGIC:
        raise ValueError("not a bucket file")
    (count,) = struct.unpack(">H", data[4:6])
    offset = 6
    for _ in range(count):
        tag = data[offset : offset + TAG_BYTES]
        (length,) = struct.unpack(">H", data[offset + TAG_BYTES : offset + TAG_BYTES + 2])
        start = offset + TAG_BYTES + 2
        if tag == derived.tag:
            nonce, sealed = (
                data[start : start + NONCE_BYTES],
                data[start + NONCE_BYTES : start + length],
            )
            plain = AESGCM(derived.key).decrypt(nonce, sealed, AAD)
            (size,) = struct.unpack(">H", plain[:2])
            text = zlib.decompressobj(-15).decompress(plain[2 : 2 + size])
            return dict(json.loads(text.decode()))
        offset = start + length
    return None
