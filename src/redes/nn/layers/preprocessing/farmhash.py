"""Two string hashes, written in Python from their public descriptions, for ``Hashing``.

* ``fingerprint64``: FarmHash's ``Fingerprint64`` (the "na" variant of FarmHash's 64-bit
  hash), the hash behind ``tf.strings.to_hash_bucket_fast``, which Keras' ``Hashing`` and
  the lookup layers use to put a string in one of ``n`` bins: ``fingerprint64(s) % n``.
* ``siphash24``: SipHash-2-4 with a 128-bit key (two 64-bit words), the keyed ("strong")
  hash behind ``tf.strings.to_hash_bucket_strong``, used when a ``salt`` is given.

Both work on the UTF-8 bytes of a string and on unsigned 64-bit words; Python integers are
unbounded, so every sum and product is reduced modulo 2**64 (``& MASK``). Bytes are read as
little-endian words, as on the machines TensorFlow runs on.
"""

from __future__ import annotations

MASK = (1 << 64) - 1
K0 = 0xC3A5C85C97CB3127
K1 = 0xB492B66FBE98F273
K2 = 0x9AE16A3B2F90404F


def _word(data: bytes, at: int) -> int:
    """The 8 bytes from ``at`` as a little-endian unsigned 64-bit number."""
    return int.from_bytes(data[at:at + 8], "little")


def _half(data: bytes, at: int) -> int:
    """The 4 bytes from ``at`` as a little-endian unsigned 32-bit number."""
    return int.from_bytes(data[at:at + 4], "little")


def _rotate(value: int, shift: int) -> int:
    """Rotate a 64-bit word right by ``shift`` bits."""
    return ((value >> shift) | (value << (64 - shift))) & MASK if shift else value


def _shift_mix(value: int) -> int:
    return value ^ (value >> 47)


def _hash16(u: int, v: int, mul: int) -> int:
    """Mix two words into one (Murmur-inspired), the last step of every length."""
    a = ((u ^ v) * mul) & MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & MASK
    b ^= b >> 47
    return (b * mul) & MASK


def _hash0to16(s: bytes, n: int) -> int:
    if n >= 8:
        mul = K2 + n * 2
        a = (_word(s, 0) + K2) & MASK
        b = _word(s, n - 8)
        c = (_rotate(b, 37) * mul + a) & MASK
        d = ((_rotate(a, 25) + b) * mul) & MASK
        return _hash16(c, d, mul)
    if n >= 4:
        mul = K2 + n * 2
        return _hash16(n + (_half(s, 0) << 3), _half(s, n - 4), mul)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (_shift_mix(((y * K2) ^ (z * K0)) & MASK) * K2) & MASK
    return K2


def _hash17to32(s: bytes, n: int) -> int:
    mul = K2 + n * 2
    a = (_word(s, 0) * K1) & MASK
    b = _word(s, 8)
    c = (_word(s, n - 8) * mul) & MASK
    d = (_word(s, n - 16) * K2) & MASK
    return _hash16((_rotate((a + b) & MASK, 43) + _rotate(c, 30) + d) & MASK,
                   (a + _rotate((b + K2) & MASK, 18) + c) & MASK, mul)


def _hash33to64(s: bytes, n: int) -> int:
    mul = K2 + n * 2
    a = (_word(s, 0) * K2) & MASK
    b = _word(s, 8)
    c = (_word(s, n - 8) * mul) & MASK
    d = (_word(s, n - 16) * K2) & MASK
    y = (_rotate((a + b) & MASK, 43) + _rotate(c, 30) + d) & MASK
    z = _hash16(y, (a + _rotate((b + K2) & MASK, 18) + c) & MASK, mul)
    e = (_word(s, 16) * mul) & MASK
    f = _word(s, 24)
    g = ((y + _word(s, n - 32)) * mul) & MASK
    h = ((z + _word(s, n - 24)) * mul) & MASK
    return _hash16((_rotate((e + f) & MASK, 43) + _rotate(g, 30) + h) & MASK,
                   (e + _rotate((f + a) & MASK, 18) + g) & MASK, mul)


def _weak32(s: bytes, at: int, a: int, b: int) -> tuple[int, int]:
    """Two words from 32 bytes and two seeds (FarmHash's WeakHashLen32WithSeeds)."""
    w, x, y, z = (_word(s, at + 8 * i) for i in range(4))
    a = (a + w) & MASK
    b = _rotate((b + a + z) & MASK, 21)
    c = a
    a = (a + x + y) & MASK
    b = (b + _rotate(a, 44)) & MASK
    return (a + z) & MASK, (b + c) & MASK


def _chunk(s, at, x, y, z, v, w, mul, last=False):
    """One 64-byte round of the long-string loop; returns the new (x, y, z, v, w)."""
    x = (_rotate((x + y + v[0] + _word(s, at + 8)) & MASK, 37) * mul) & MASK
    y = (_rotate((y + v[1] + _word(s, at + 48)) & MASK, 42) * mul) & MASK
    x ^= (w[1] * (9 if last else 1)) & MASK
    y = (y + v[0] * (9 if last else 1) + _word(s, at + 40)) & MASK
    z = (_rotate((z + w[0]) & MASK, 33) * mul) & MASK
    v = _weak32(s, at, (v[1] * mul) & MASK, (x + w[0]) & MASK)
    w = _weak32(s, at + 32, (z + w[1]) & MASK, (y + _word(s, at + 16)) & MASK)
    return z, y, x, v, w        # x and z trade places after every round


def _hash_long(s: bytes, n: int) -> int:
    """Strings over 64 bytes: 64-byte rounds, then a last round on the last 64 bytes."""
    seed = 81
    y = (seed * K1 + 113) & MASK
    z = (_shift_mix((y * K2 + 113) & MASK) * K2) & MASK
    v, w = (0, 0), (0, 0)
    x = (seed * K2 + _word(s, 0)) & MASK
    end = ((n - 1) // 64) * 64
    for at in range(0, end, 64):
        x, y, z, v, w = _chunk(s, at, x, y, z, v, w, K1)
    mul = K1 + ((z & 0xFF) << 1)
    last = end + ((n - 1) & 63) - 63
    w = ((w[0] + ((n - 1) & 63)) & MASK, w[1])
    v = ((v[0] + w[0]) & MASK, v[1])
    w = ((w[0] + v[0]) & MASK, w[1])
    x, y, z, v, w = _chunk(s, last, x, y, z, v, w, mul, last=True)
    return _hash16((_hash16(v[0], w[0], mul) + _shift_mix(y) * K0 + z) & MASK,
                   (_hash16(v[1], w[1], mul) + x) & MASK, mul)


def fingerprint64(data: bytes) -> int:
    """FarmHash's ``Fingerprint64`` of ``data`` (bytes), an unsigned 64-bit number."""
    n = len(data)
    if n <= 16:
        return _hash0to16(data, n)
    if n <= 32:
        return _hash17to32(data, n)
    if n <= 64:
        return _hash33to64(data, n)
    return _hash_long(data, n)


def _sip_round(v0, v1, v2, v3):
    v0 = (v0 + v1) & MASK
    v1 = _rotate(v1, 64 - 13) ^ v0          # rotate left by 13
    v0 = _rotate(v0, 64 - 32)
    v2 = (v2 + v3) & MASK
    v3 = _rotate(v3, 64 - 16) ^ v2
    v0 = (v0 + v3) & MASK
    v3 = _rotate(v3, 64 - 21) ^ v0
    v2 = (v2 + v1) & MASK
    v1 = _rotate(v1, 64 - 17) ^ v2
    v2 = _rotate(v2, 64 - 32)
    return v0, v1, v2, v3


def siphash24(key: tuple[int, int], data: bytes) -> int:
    """SipHash-2-4 of ``data`` with the 128-bit ``key`` given as two 64-bit words."""
    k0, k1 = key[0] & MASK, key[1] & MASK
    v = (k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D,
         k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573)
    n = len(data)
    tail = data[n - n % 8:] + bytes(7 - n % 8) + bytes([n & 0xFF])
    for at in range(0, n - n % 8 + 8, 8):     # every 8-byte word, then the tail word
        m = _word(data, at) if at < n - n % 8 else _word(tail, 0)
        v = (v[0], v[1], v[2], v[3] ^ m)
        v = _sip_round(*_sip_round(*v))
        v = (v[0] ^ m, v[1], v[2], v[3])
    v = (v[0], v[1], v[2] ^ 0xFF, v[3])
    for _round in range(4):
        v = _sip_round(*v)
    return v[0] ^ v[1] ^ v[2] ^ v[3]
