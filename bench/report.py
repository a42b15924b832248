"""Ratios to the floor, the targets, the printed table and the machine it ran on."""
import json
import os
import platform
import subprocess
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
# scenario -> (the floor it is compared with, the least ratio wanted (None: reported only)).
# The targets of the consolidation issue, against a floor its generator does not cap.
FLOORS = {
    "catalogue_html": ("floor_constant", 0.3),
    "catalogue_html_uncached": ("floor_constant", 0.1),
    "api_events": ("floor_constant", None),
    "event_page": ("floor_constant", 0.2),
    "api_register": ("floor_transaction", 0.5),
    "hot_event": ("floor_transaction", 0.5),
    "feed_conditional": ("floor_constant", 0.5),
    "feed_full": ("floor_constant", None),
    "dashboard": ("floor_constant", None),
}
SCALE_CHECKED = ("catalogue_html", "api_events", "dashboard")


def machine():
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        memory_gb = round(int(memory.split()[1]) / 1024 / 1024, 1)
    except (OSError, StopIteration):
        memory_gb = None
    try:
        postgres = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        postgres = ""
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gb": memory_gb, "python": platform.python_version(),
            "system": platform.platform(), "postgresql_client": postgres, "load_average": os.getloadavg()}


def add_ratios(results):
    floors = results["floor"]
    for name, (floor_name, least) in FLOORS.items():
        scenario = results["scenarios"].get(name)
        if not scenario or name == "feed_full":
            continue
        floor_rps = floors[floor_name]["throughput_rps"]
        scenario["floor"] = floor_name
        scenario["ratio"] = round(scenario["throughput_rps"] / floor_rps, 3) if floor_rps else None
        # The same comparison in the app processes' CPU per request: steadier on a busy machine.
        floor_cpu, cpu = floors[floor_name].get("server_cpu_ms_per_request"), scenario.get("server_cpu_ms_per_request")
        scenario["cpu_ratio"] = round(floor_cpu / cpu, 3) if floor_cpu and cpu else None


def targets(results, small=None):
    """Each target: what was measured, what is wanted, met or not."""
    found = []
    scenarios = results["scenarios"]
    for name, (floor_name, least) in FLOORS.items():
        if least is None or name not in scenarios:
            continue
        ratio = scenarios[name].get("ratio")
        found.append({"target": f"{name} throughput >= {least} x {floor_name}", "value": ratio,
                      "met": ratio is not None and ratio >= least, "cpu_ratio": scenarios[name].get("cpu_ratio")})
    hot = results.get("hot_event_check")
    if hot:
        found.append({"target": "hot event: exactly the places taken, no duplicates, waitlist in arrival order",
                      "value": hot["ok"], "met": hot["ok"]})
    feed = scenarios.get("feed_full")
    alone = results.get("icalendar_alone")
    if feed and alone:
        ratio = round(feed["p50_ms"] / 1000 / alone["median_s"], 2) if alone["median_s"] else None
        feed["ratio_to_icalendar_alone"] = ratio
        cpu = feed.get("server_cpu_ms_per_request")
        feed["cpu_ratio_to_icalendar_alone"] = (round(cpu / 1000 / alone["cpu_median_s"], 2)
                                                if cpu and alone.get("cpu_median_s") else None)
        found.append({"target": f"full feed of {alone['events']} events built within 2 x icalendar alone (wall)",
                      "value": ratio, "met": ratio is not None and ratio <= 2})
        found.append({"target": f"full feed of {alone['events']} events built within 2 x icalendar alone (CPU)",
                      "value": feed["cpu_ratio_to_icalendar_alone"],
                      "met": bool(feed["cpu_ratio_to_icalendar_alone"]) and feed["cpu_ratio_to_icalendar_alone"] <= 2})
    if small and small.get("scale") != results.get("scale"):
        for name in SCALE_CHECKED:
            before, after = small["scenarios"].get(name, {}).get("ratio"), scenarios.get(name, {}).get("ratio")
            if before and after:
                growth = round(before / after, 2)
                scenarios[name]["slowdown_vs_small"] = growth
                found.append({"target": f"{name} at {results['scale']} within 1.5 x its {small['scale']} cost "
                                        f"(floor-relative)", "value": growth, "met": growth <= 1.5})
    rss = results.get("worker_rss_mb")
    if rss:
        found.append({"target": "each worker's resident memory < 150 MB", "value": max(rss), "met": max(rss) < 150})
    results["targets"] = found
    return found


def table(results):
    lines = []
    head = (f"{'scenario':<24}{'conc':>5}{'reqs':>7}{'err':>4}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'cpu ms':>8}  ratio to floor (throughput; CPU)")
    lines.append(head)
    lines.append("-" * len(head))
    rows = [(f"floor: {k}", v) for k, v in results["floor"].items()] + list(results["scenarios"].items())
    for name, s in rows:
        if "ratio" in s:
            ratio = f"{s['ratio']:.3f}; {s.get('cpu_ratio') or 0:.3f} x {s['floor'].replace('floor_', '')}"
        elif "ratio_to_icalendar_alone" in s:
            ratio = (f"{s['ratio_to_icalendar_alone']:.2f}; {s.get('cpu_ratio_to_icalendar_alone') or 0:.2f}"
                     f" x icalendar alone (time, lower is better)")
        else:
            ratio = ""
        cpu = s.get("server_cpu_ms_per_request")
        lines.append(f"{name:<24}{s['concurrency']:>5}{s['requests']:>7}{s['errors']:>4}{s['throughput_rps']:>8.1f}"
                     f"{_ms(s['p50_ms'])}{_ms(s['p95_ms'])}{_ms(s['p99_ms'])}{_ms(cpu, 8)}  {ratio}")
    alone = results.get("icalendar_alone")
    if alone:
        lines.append(f"icalendar alone: {alone['events']} events in {alone['median_s'] * 1000:.0f} ms "
                     f"({alone.get('cpu_median_s', 0) * 1000:.0f} ms CPU), median of 3")
    lines.append("")
    for target in results.get("targets", []):
        cpu = f" (CPU-based: {target['cpu_ratio']})" if target.get("cpu_ratio") is not None else ""
        lines.append(f"[{'met' if target['met'] else 'MISSED'}] {target['target']}: {target['value']}{cpu}")
    return "\n".join(lines)


def _ms(value, width=9):
    return f"{value:>{width}.1f}" if value is not None else f"{'-':>{width}}"


def save(results, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")


def load(path):
    path = Path(path)
    return json.loads(path.read_text()) if path.exists() else None


LABELS = {
    "floor_constant": "floor: constant", "floor_transaction": "floor: transaction",
    "catalogue_html": "catalogue page, filtered", "api_events": "`GET /api/v1/events`, filtered",
    "event_page": "event page", "api_register": "API registration",
    "hot_event": "hot event (2,000 at once, 500 places)", "feed_full": "public feed, full",
    "feed_conditional": "public feed, 304", "dashboard": "dashboard (organizer)",
}


def markdown(results):
    """The README's table of one run."""
    lines = ["| scenario | clients | req/s | p50 ms | p95 ms | p99 ms | app CPU ms/req | ratio to floor "
             "(throughput; CPU) |", "|---|---:|---:|---:|---:|---:|---:|---|"]
    rows = list(results["floor"].items()) + list(results["scenarios"].items())
    for name, s in rows:
        if "ratio" in s:
            ratio = f"{s['ratio']:.3f}; {s.get('cpu_ratio') or 0:.3f} × {s['floor'].replace('floor_', '')}"
        elif "ratio_to_icalendar_alone" in s:
            ratio = f"{s['ratio_to_icalendar_alone']:.2f}; {s.get('cpu_ratio_to_icalendar_alone') or 0:.2f} × icalendar alone"
        else:
            ratio = "1"
        label = LABELS.get(name, name)
        if name == "feed_full" and results.get("feed_events"):
            label += f" ({results['feed_events']:,} events)"
        cells = [label, str(s["concurrency"]), f"{s['throughput_rps']:,.1f}"]
        cells += [f"{s[k]:,.1f}" if s.get(k) is not None else "–" for k in ("p50_ms", "p95_ms", "p99_ms")]
        cpu = s.get("server_cpu_ms_per_request")
        cells += [f"{cpu:,.1f}" if cpu is not None else "–", ratio]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for target in results.get("targets", []):
        lines.append(f"- {'met' if target['met'] else '**missed**'}: {target['target']}: {target['value']}")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    for path in sys.argv[1:]:
        print(markdown(load(path)))
