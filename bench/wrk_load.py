"""Closed-loop load from wrk (C, epoll), the generator that does not cap the floor.

A Python client on this 2-core machine reaches well under half of what wrk reaches on the same bare
floor, so ratios measured with it flatter the app. This module runs the same scenarios as
``load.closed_loop`` (the same finite lists of ``Request``) through wrk and gives back the same
``Result``: one wrk process per app instance, each with half the connections, its share of the
requests written into a Lua script. Each wrk thread sends its own slice of the list (so a resident
never registers twice), stops when the slice is used up or the time is over, and counts answers
whose status was not the one expected. Latency percentiles are wrk's, weighted by each process's
request count (the two halves are alike, so the weighting is close).
"""
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time

from .load import Result

# Enough requests for the fastest floor (about 5,000/s here) for a minute; a scenario with fewer
# (distinct registrations) stops when they are used up.
MAX_REQUESTS = 300_000
# Scenarios whose requests may repeat send this many distinct ones in a cycle.
CYCLE = 4_000

LUA = r"""
local requests = {%(requests)s}
local expected = {%(expected)s}
local cyclic = %(cyclic)s
local threads = {}
local nthreads = %(threads)d
local exhausted_path = "/__wrk_requests_used_up__"

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  index = wrk.thread:get("index")
  mine = {}
  for i = index + 1, #requests, nthreads do
    local r = requests[i]
    table.insert(mine, wrk.format(r[1], r[2], r[3], r[4]))
  end
  position = 0
  unexpected = 0
  answered = 0
  extra = 0
  ignored = 0
end

-- A thread whose distinct requests are used up stops; a connection asking again meanwhile gets a
-- request for a missing page, whose 404 is not counted.
function request()
  position = position + 1
  if position > #mine then
    if cyclic then
      position = 1
    else
      extra = extra + 1
      wrk.thread:stop()
      return wrk.format("GET", exhausted_path)
    end
  end
  return mine[position]
end

function response(status, headers, body)
  if status == 404 and ignored < extra then
    ignored = ignored + 1
    return
  end
  answered = answered + 1
  if not expected[status] then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests_done)
  local unexpected_total, answered_total, ignored_total = 0, 0, 0
  for _, thread in ipairs(threads) do
    unexpected_total = unexpected_total + thread:get("unexpected")
    answered_total = answered_total + thread:get("answered")
    ignored_total = ignored_total + thread:get("ignored")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %%d, "answered": %%d, "duration_us": %%d, "unexpected": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "timeout": %%d, ' ..
    '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "mean_us": %%f}\n',
    summary.requests - ignored_total, answered_total, summary.duration, unexpected_total,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
"""


def available():
    return shutil.which("wrk") is not None


def _lua_string(text):
    return json.dumps(text, ensure_ascii=True)  # a JSON string literal is a valid Lua string literal here


def _lua_request(request):
    headers = dict(request.headers)
    body = None
    if request.json is not None:
        body = json.dumps(request.json)
        headers.setdefault("Content-Type", "application/json")
    header_items = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
    body_literal = _lua_string(body) if body is not None else "nil"
    return f"{{{_lua_string(request.method)}, {_lua_string(request.path)}, {{{header_items}}}, {body_literal}}}"


def _script(requests, expect, threads, cyclic):
    return LUA % {
        "requests": ",\n".join(_lua_request(r) for r in requests),
        "expected": ", ".join(f"[{code}] = true" for code in expect),
        "cyclic": "true" if cyclic else "false",
        "threads": threads,
    }


def _run_wrk(base, script_path, connections, threads, duration):
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(duration))}s",
               "--timeout", "30s", "-s", script_path, base]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _parse(process):
    out, err = process.communicate(timeout=900)
    for line in out.splitlines():
        if line.startswith("WRK_RESULT "):
            return json.loads(line[len("WRK_RESULT "):])
    raise RuntimeError(f"wrk gave no result (exit {process.returncode}): {err.strip() or out.strip()}")


def closed_loop(name, bases, requests, concurrency=16, duration=10.0, warmup=1.0, cpu=None, cyclic=None,
                threads_per_instance=1):
    """Like ``load.closed_loop``; ``cyclic`` (default: guessed) says the requests may repeat."""
    planned = list(itertools.islice(iter(requests), MAX_REQUESTS))
    if not planned:
        raise ValueError(f"{name}: no requests")
    expect = set(planned[0].expect)
    if any(set(r.expect) != expect for r in planned):
        raise ValueError(f"{name}: wrk checks one set of expected statuses per scenario")
    if cyclic is None:
        cyclic = len(planned) == MAX_REQUESTS
    if cyclic:
        planned = planned[:CYCLE]
    # Requests for a given instance (a feed's ETag) go there; the rest alternate.
    per_base = {base: [] for base in bases}
    turn = itertools.count()
    for request in planned:
        per_base[request.base or bases[next(turn) % len(bases)]].append(request)
    connections = max(1, concurrency // len(bases))
    threads = max(1, min(threads_per_instance, connections))
    with tempfile.TemporaryDirectory(prefix="ah_wrk_") as folder:
        scripts = {}
        for n, (base, share) in enumerate(per_base.items()):
            if not share:
                continue
            if not cyclic and warmup:
                # Distinct requests are not wasted on the warm-up: it repeats the first few.
                warm, measured = share[: max(1, len(share) // 20)], share
            else:
                warm, measured = share, share
            warm_path, path = os.path.join(folder, f"warm{n}.lua"), os.path.join(folder, f"run{n}.lua")
            with open(warm_path, "w") as handle:
                handle.write(_script(warm, {code for code in range(100, 600)}, threads, True))
            with open(path, "w") as handle:
                handle.write(_script(measured, expect, threads, cyclic))
            scripts[base] = (warm_path, path)
        if warmup and cyclic:
            for process in [_run_wrk(base, warm, connections, threads, warmup)
                            for base, (warm, _run) in scripts.items()]:
                _parse(process)
        cpu_before = cpu() if cpu else None
        began = time.perf_counter()
        processes = [_run_wrk(base, run, connections, threads, duration) for base, (_warm, run) in scripts.items()]
        outcomes = [_parse(process) for process in processes]
        elapsed = time.perf_counter() - began
        cpu_used = cpu() - cpu_before if cpu else None
    return _result(name, concurrency, outcomes, elapsed, cpu_used)


def _result(name, concurrency, outcomes, elapsed, cpu_used):
    total = sum(o["requests"] for o in outcomes)
    seconds = max(o["duration_us"] for o in outcomes) / 1e6 or elapsed
    errors = sum(o["unexpected"] + o["connect"] + o["read"] + o["write"] + o["timeout"] for o in outcomes)

    def weighted(key):
        return sum(o[key] * o["requests"] for o in outcomes) / total / 1e6 if total else None

    return WrkResult(name, concurrency, [], seconds, errors, {"unexpected": errors}, [], cpu_used,
                     count=total, p50=weighted("p50_us"), p95=weighted("p95_us"), p99=weighted("p99_us"),
                     mean=weighted("mean_us"))


class WrkResult(Result):
    """A ``Result`` whose latencies are wrk's percentiles rather than a list of samples."""

    def __init__(self, *args, count, p50, p95, p99, mean):
        super().__init__(*args)
        self.count, self._percentiles, self.mean = count, {50: p50, 95: p95, 99: p99}, mean

    @property
    def requests(self):
        return self.count

    def percentile(self, p):
        return self._percentiles.get(p)

    def summary(self):
        ms = lambda s: None if s is None else round(s * 1000, 2)  # noqa: E731
        return {
            "generator": "wrk", "concurrency": self.concurrency, "requests": self.requests, "errors": self.errors,
            "seconds": round(self.elapsed, 3), "throughput_rps": round(self.throughput, 2),
            "p50_ms": ms(self.percentile(50)), "p95_ms": ms(self.percentile(95)), "p99_ms": ms(self.percentile(99)),
            "mean_ms": ms(self.mean),
            "server_cpu_ms_per_request": (round(self.server_cpu_s * 1000 / self.requests, 2)
                                          if self.server_cpu_s is not None and self.requests else None),
        }
