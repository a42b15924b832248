"""The benchmark, in one command:

    .venv/bin/python -m bench.run --scale small --duration 10

Creates the PostgreSQL database afresh, migrates it, fills it with `flask seed-scale`, starts
the app under gunicorn as two instances on two ports sharing that database, drives them from
wrk (bench/wrk_load.py; the aiohttp client of bench/load.py with ``--generator aiohttp``), measures
the floor (bench/floor_app.py) under the same gunicorn settings before and after, checks the hot
event, prints a table and writes JSON. The floor is also driven by wrk with twice the threads and by
the aiohttp client, so the run shows whether its generator capped the floor.
Exits non-zero, loudly, if the hot-event check fails. Stops every server it started.
"""
import argparse
import secrets
import statistics
import sys
import time
from pathlib import Path

from . import report, scenarios, wrk_load
from . import load as aiohttp_load
from .hot_event import HotEventFailed, check_hot_event, run_hot_event
from .ical_alone import time_icalendar_alone
from .load import fetch
from .prepare import Fixtures, app_env, flask_command, login, recreate_database, seeded_rng
from .servers import Pair

DEFAULT_URL = "postgresql+psycopg://root@127.0.0.1:5432/ah_bench"
SCALES = {
    # users, events, registrations, residents at the hot event, its places, residents registering via the API
    "tiny": dict(users=2000, events=60, registrations=3000, hot_residents=200, hot_places=50, api_users=300),
    "small": dict(users=5000, events=200, registrations=10000, hot_residents=2000, hot_places=500, api_users=3000),
    "city": dict(users=500_000, events=10_000, registrations=1_000_000, hot_residents=2000, hot_places=500,
                 api_users=3000),
}


SCENARIOS = ("catalogue_html", "catalogue_html_uncached", "api_events", "event_page", "api_register", "hot_event", "feed_full",
             "feed_conditional", "dashboard")


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per scenario")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (closed loop)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per instance")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="dropped and created afresh")
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is (already seeded)")
    parser.add_argument("--output", help="JSON file (default bench/results/<scale>.json and latest.json)")
    parser.add_argument("--log-dir", default="/tmp/ah_bench_logs")
    parser.add_argument("--generator", choices=("wrk", "aiohttp"), default="wrk" if wrk_load.available() else "aiohttp",
                        help="load generator for the floor and the scenarios (default wrk when installed)")
    parser.add_argument("--only", type=lambda text: set(text.split(",")), default=None, metavar="NAME,NAME",
                        help=f"run only these scenarios (of {', '.join(SCENARIOS)}); the floor is always measured")
    options = parser.parse_args(argv)
    unknown = (options.only or set()) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    return options


def run_benchmark(options, out=lambda message: print(message, flush=True)):
    spec = SCALES[options.scale]
    log_dir = Path(options.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    setup_log = open(log_dir / "setup.log", "a")
    url, secret = options.database_url, secrets.token_urlsafe(48)
    env = app_env(url, secret)
    results = {"scale": options.scale, "sizes": spec, "duration_s": options.duration,
               "concurrency": options.concurrency, "gunicorn": f"{options.workers} sync workers x 2 instances",
               "machine": report.machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    if not options.reuse:
        recreate_database(url)
        results["migrate_s"] = round(flask_command(["db", "upgrade"], env, setup_log)[0], 1)
        out(f"migrated in {results['migrate_s']}s; seeding {options.scale} …")
        seconds, printed = flask_command(
            ["seed-scale", "--users", str(spec["users"]), "--events", str(spec["events"]),
             "--registrations", str(spec["registrations"])], env, setup_log)
        results["seed_s"] = round(seconds, 1)
        results["seed_output"] = printed.strip().splitlines()
        out(f"seed-scale took {seconds:.1f}s")
    from .floor_app import create_tables
    create_tables(url)
    fixtures = Fixtures(url, spec["api_users"], spec["hot_residents"], spec["hot_places"], seeded_rng())
    measure = dict(duration=options.duration, warmup=min(2.0, options.duration / 4))
    c = options.concurrency
    closed_loop = wrk_load.closed_loop if options.generator == "wrk" else aiohttp_load.closed_loop
    results["generator"] = options.generator

    floors = []

    def measure_floor(generator_check=False):
        with Pair("bench.floor_app:create_app()", options.workers, env, log_dir, "/constant") as pair:
            floors.append({
                "floor_constant": closed_loop("floor_constant", pair.bases, scenarios.floor_constant(), c,
                                              cpu=pair.cpu_seconds, **measure),
                "floor_transaction": closed_loop("floor_transaction", pair.bases, scenarios.floor_transaction(), c,
                                                 cpu=pair.cpu_seconds, **measure),
            })
            if generator_check:
                results["generator_check"] = generator_check_of(pair)

    def generator_check_of(pair):
        """The floor under other generators: if a faster one (wrk with twice the threads) does not raise
        it, the generator used was not the bottleneck; the aiohttp client shows what a slower one gives."""
        check = {}
        for name, requests in (("floor_constant", scenarios.floor_constant),
                               ("floor_transaction", scenarios.floor_transaction)):
            runs = {"aiohttp": aiohttp_load.closed_loop(name, pair.bases, requests(), c, cpu=pair.cpu_seconds,
                                                        **measure)}
            if wrk_load.available():
                runs["wrk_2_threads"] = wrk_load.closed_loop(name, pair.bases, requests(), c, cpu=pair.cpu_seconds,
                                                             threads_per_instance=2, **measure)
            check[name] = {generator: run.summary() for generator, run in runs.items()}
        return check

    measure_floor(generator_check=options.scale != "tiny")
    out("floor measured; starting the app")
    measured = {}
    wanted = (lambda name: name in options.only) if options.only else (lambda name: True)
    feed_body = None
    with Pair("activity_hub:create_app()", options.workers, env, log_dir, "/static/css/site.css") as pair:
        bases = pair.bases
        short = dict(measure, cpu=pair.cpu_seconds)
        if wanted("catalogue_html"):
            measured["catalogue_html"] = closed_loop("catalogue_html", bases, scenarios.catalogue_pages(), c, **short)
        if wanted("api_events"):
            measured["api_events"] = closed_loop("api_events", bases, scenarios.api_listing(), c, **short)
        if wanted("event_page"):
            measured["event_page"] = closed_loop("event_page", bases, scenarios.event_pages(fixtures.public_events),
                                                 c, **short)
        if wanted("api_register"):
            measured["api_register"] = closed_loop(
                "api_register", bases, scenarios.api_registrations(fixtures.registration_tokens,
                                                                   fixtures.registration_events), c, **short)
        if wanted("hot_event"):
            out("hot event …")
            hot = run_hot_event(bases, fixtures.hot_event_id, fixtures.hot_tokens, cpu=pair.cpu_seconds)
            measured["hot_event"] = hot
            try:
                results["hot_event_check"] = check_hot_event(fixtures.app, fixtures.hot_event_id,
                                                             spec["hot_residents"], spec["hot_places"], hot)
            except HotEventFailed as failure:
                results["hot_event_check"] = {"ok": False, "problems": [str(failure)]}
                raise
            finally:
                results.setdefault("scenarios_so_far", list(measured))
        if wanted("feed_full") or wanted("feed_conditional"):
            out("feeds …")
            etags = {}
            for base in bases:
                status, headers, body = fetch(base, "/calendar/events.ics")
                if status != 200:
                    raise RuntimeError(f"public feed answered {status}")
                etags[base], feed_body = headers["ETag"], body
            if wanted("feed_full"):
                measured["feed_full"] = aiohttp_load.closed_loop("feed_full", bases, scenarios.full_feed(2), 1, duration=600,
                                                    warmup=0, cpu=pair.cpu_seconds)
            if wanted("feed_conditional"):
                measured["feed_conditional"] = closed_loop("feed_conditional", bases,
                                                           scenarios.conditional_feed(etags), c, **short)
        if wanted("dashboard"):
            cookie = login(bases[0], "scale-organizer@activity-hub.local", "scale-pass-2026")
            measured["dashboard"] = closed_loop("dashboard", bases, scenarios.dashboard(cookie), c, **short)
        results["worker_rss_mb"] = pair.worker_rss_mb()
    results.pop("scenarios_so_far", None)
    if wanted("catalogue_html_uncached"):
        uncached_env = dict(env, CATALOGUE_CACHE_SECONDS="0")
        with Pair("activity_hub:create_app()", options.workers, uncached_env, log_dir, "/static/css/site.css") as pair:
            measured["catalogue_html_uncached"] = closed_loop("catalogue_html_uncached", pair.bases,
                                                              scenarios.catalogue_pages(), c, **dict(measure, cpu=pair.cpu_seconds))
    if options.scale != "tiny":  # the tiny run (a test) measures the floor once, to stay short
        out("floor again …")
        measure_floor()
    if feed_body is not None:
        results["icalendar_alone"] = time_icalendar_alone(feed_body)
        results["feed_events"] = results["icalendar_alone"]["events"]

    results["floor_runs"] = [{k: v.summary() for k, v in run.items()} for run in floors]
    results["floor"] = {}
    for name in ("floor_constant", "floor_transaction"):
        runs = [run[name] for run in floors]
        merged = runs[0].summary()
        merged["throughput_rps"] = round(statistics.fmean(r.throughput for r in runs), 2)
        merged["requests"] = sum(r.requests for r in runs)
        merged["errors"] = sum(r.errors for r in runs)
        merged["note"] = "throughput: mean of the runs before and after the app; latencies: the run before"
        if len(runs) == 1:
            merged["note"] = "measured once, before the app"
        results["floor"][name] = merged
    results["scenarios"] = {name: result.summary() for name, result in measured.items()}
    results["machine"]["load_average_end"] = report.machine()["load_average"]
    report.add_ratios(results)
    small = report.load(report.RESULTS / "small.json") if options.scale == "city" else None
    report.targets(results, small)
    return results


def main(argv=None):
    options = parse(argv if argv is not None else sys.argv[1:])
    try:
        results = run_benchmark(options)
    except HotEventFailed as failure:
        print("\n" + "!" * 72 + f"\n{failure}\n" + "!" * 72, file=sys.stderr)
        return 2
    print()
    print(report.table(results))
    if options.output:
        outputs = [options.output]
    elif options.only:  # a partial run never replaces the full results kept in bench/results
        outputs = [Path(options.log_dir) / f"{options.scale}-only.json"]
    else:
        outputs = [report.RESULTS / f"{options.scale}.json", report.RESULTS / "latest.json"]
    for path in outputs:
        report.save(results, path)
    print(f"\nwritten: {', '.join(str(p) for p in outputs)}")
    errors = {name: s["errors"] for name, s in results["scenarios"].items() if s["errors"]}
    if errors:
        print(f"WARNING: requests not answered as expected: {errors}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
