"""A small async load generator (aiohttp): closed-loop clients, latencies, throughput.

Each of ``concurrency`` clients sends its next request as soon as the previous answer
arrived, alternating between the instances, until the duration is over or the requests
planned run out (every loop is bounded). A short warm-up is not counted.
"""
import asyncio
import itertools
import statistics
import time
from dataclasses import dataclass, field

import aiohttp


@dataclass
class Request:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    json: object = None
    expect: tuple = (200,)
    # An instance to send it to (its answer depends on the host, e.g. a feed's ETag); None: take turns.
    base: str = None


@dataclass
class Result:
    name: str
    concurrency: int
    latencies: list
    elapsed: float
    errors: int
    statuses: dict
    answers: list = field(default_factory=list)
    # CPU seconds the app's processes (not the database) used during the measured part, if known.
    server_cpu_s: float = None

    @property
    def requests(self):
        return len(self.latencies)

    @property
    def throughput(self):
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, p):
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]

    def summary(self):
        ms = lambda s: None if s is None else round(s * 1000, 2)  # noqa: E731
        return {
            "concurrency": self.concurrency, "requests": self.requests, "errors": self.errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "seconds": round(self.elapsed, 3), "throughput_rps": round(self.throughput, 2),
            "p50_ms": ms(self.percentile(50)), "p95_ms": ms(self.percentile(95)), "p99_ms": ms(self.percentile(99)),
            "mean_ms": ms(statistics.fmean(self.latencies)) if self.latencies else None,
            "server_cpu_ms_per_request": (round(self.server_cpu_s * 1000 / self.requests, 2)
                                          if self.server_cpu_s is not None and self.requests else None),
        }


def _session(concurrency):
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=300)
    return aiohttp.ClientSession(connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar())


async def _send(session, base, request, keep):
    async with session.request(request.method, base + request.path, headers=request.headers,
                               json=request.json, allow_redirects=False) as response:
        body = await response.read()
        return response.status, (body if keep else None)


async def _closed_loop(name, bases, requests, concurrency, duration, warmup, keep_answers, cpu):
    """``requests`` is an iterator of Request; it bounds the run together with ``duration``."""
    latencies, answers, statuses = [], [], {}
    errors = 0
    turn = itertools.count()
    async with _session(concurrency) as session:
        warm_until = time.perf_counter() + warmup
        while time.perf_counter() < warm_until:  # bounded by time
            request = next(requests, None)
            if request is None:
                break
            await _send(session, request.base or bases[next(turn) % len(bases)], request, False)

        stop_at = time.perf_counter() + duration

        async def client():
            nonlocal errors
            while time.perf_counter() < stop_at:  # bounded by time and by the requests planned
                request = next(requests, None)
                if request is None:
                    return
                started = time.perf_counter()
                try:
                    base = request.base or bases[next(turn) % len(bases)]
                    status, body = await _send(session, base, request, keep_answers)
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    status, body = "connection_error", None
                latencies.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1
                if status not in request.expect:
                    errors += 1
                if keep_answers:
                    answers.append((request, status, body))

        cpu_before = cpu() if cpu else None
        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
        cpu_used = cpu() - cpu_before if cpu else None
    return Result(name, concurrency, latencies, elapsed, errors, statuses, answers, cpu_used)


def closed_loop(name, bases, requests, concurrency=16, duration=10.0, warmup=1.0, keep_answers=False, cpu=None):
    """``cpu``: a callable giving the servers' CPU seconds so far (to report CPU per request)."""
    return asyncio.run(_closed_loop(name, bases, iter(requests), concurrency, duration, warmup, keep_answers, cpu))


async def _burst(name, bases, requests, connections, cpu):
    """Every request started at once (a crowd at opening time); answers kept in arrival order."""
    latencies, answers, statuses = [], [], {}
    errors = 0
    async with _session(connections) as session:
        cpu_before = cpu() if cpu else None
        began = time.perf_counter()

        async def one(index, request):
            nonlocal errors
            started = time.perf_counter()
            try:
                status, body = await _send(session, bases[index % len(bases)], request, True)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                status, body = "connection_error", None
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
            if status not in request.expect:
                errors += 1
            answers.append((request, status, body))

        await asyncio.gather(*(one(i, r) for i, r in enumerate(requests)))
        elapsed = time.perf_counter() - began
        cpu_used = cpu() - cpu_before if cpu else None
    return Result(name, connections, latencies, elapsed, errors, statuses, answers, cpu_used)


def burst(name, bases, requests, connections, cpu=None):
    return asyncio.run(_burst(name, bases, list(requests), connections, cpu))


def fetch(base, path, headers=None, method="GET", data=None):
    """One plain request (setting up scenarios): (status, headers, body bytes)."""
    async def go():
        async with _session(1) as session:
            async with session.request(method, base + path, headers=headers or {}, data=data,
                                       allow_redirects=False) as response:
                return response.status, response.headers, await response.read()
    return asyncio.run(go())
