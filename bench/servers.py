"""Starting and stopping gunicorn instances (each in its own process group), and their memory."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    """One gunicorn master and its workers on 127.0.0.1:port."""

    def __init__(self, app, port, workers, env, log_path):
        self.app, self.port, self.workers = app, port, workers
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [GUNICORN, "--workers", str(workers), "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
             "--timeout", "300", "--graceful-timeout", "5", "--log-level", "warning", app],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self, path, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # bounded
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.app} on port {self.port} exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.app} on port {self.port} did not answer {path} within {timeout}s")

    def worker_rss_mb(self):
        """Resident memory of each worker (the master's children), in MB."""
        sizes = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            if fields.get("PPid", "").strip() == str(self.process.pid) and "VmRSS" in fields:
                sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
        return sorted(sizes)

    def cpu_seconds(self):
        """CPU time (user + system) used so far by the master and its workers."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            # fields[1] is the parent pid, fields[11] and [12] utime and stime (proc(5), after the name)
            if entry.name == str(self.process.pid) or fields[1] == str(self.process.pid):
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
            except ProcessLookupError:
                pass
        self.log.close()


class Pair:
    """Two instances of one app on two ports (two "hosts") sharing one database."""

    def __init__(self, app, workers, env, log_dir, ready_path):
        self.instances = []
        try:
            for n in range(2):
                self.instances.append(Instance(app, free_port(), workers, env, Path(log_dir) / f"{app.split(':')[0]}-{n}.log"))
            for instance in self.instances:
                instance.wait_ready(ready_path)
        except BaseException:
            self.stop()
            raise

    @property
    def bases(self):
        return [instance.base for instance in self.instances]

    def cpu_seconds(self):
        return sum(instance.cpu_seconds() for instance in self.instances)

    def worker_rss_mb(self):
        return [size for instance in self.instances for size in instance.worker_rss_mb()]

    def stop(self):
        for instance in self.instances:
            instance.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
