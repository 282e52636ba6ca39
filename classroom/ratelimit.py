import time
from dataclasses import dataclass, field

# Buckets idle longer than this are forgotten, so a stream of new keys cannot grow memory forever.
IDLE_SECONDS = 600.0


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """Token buckets, one per key: `per_minute` requests a minute, and as many at once.

    In memory, per process: the classroom runs as one process, and a restart forgiving everyone
    is harmless.
    """

    per_minute: int
    _buckets: dict[str, _Bucket] = field(default_factory=dict)
    _last_sweep: float = field(default_factory=time.monotonic)

    def allow(self, key: str) -> float:
        """0 if the request may go ahead, else the seconds to wait before the next one."""
        now = time.monotonic()
        self._sweep(now)
        rate = self.per_minute / 60.0
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(tokens=float(self.per_minute), updated=now)
        bucket.tokens = min(self.per_minute, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / rate

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < IDLE_SECONDS:
            return
        self._last_sweep = now
        stale = [k for k, b in self._buckets.items() if now - b.updated > IDLE_SECONDS]
        for key in stale:
            del self._buckets[key]
