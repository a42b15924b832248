"""A web worker loads only what its pages need: SciPy (volunteer suggestions) and openpyxl (XLSX
downloads) are imported on first use, not when the app starts. Together they add ~100 MB to every
gunicorn worker, which the memory budget of issue 8 (< 200 MB a worker at city scale) cannot spare."""
import subprocess
import sys
import textwrap

HEAVY = ("scipy", "numpy", "openpyxl")


def test_starting_the_app_and_serving_pages_does_not_load_scipy_or_openpyxl(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        from activity_hub import create_app
        from activity_hub.extensions import db
        app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite:///{tmp_path / 'footprint.sqlite3'}")
        with app.app_context():
            db.create_all()
        client = app.test_client()
        for path in ("/", "/events", "/calendar/events.ics", "/auth/login"):
            client.get(path)
        print(",".join(name for name in {HEAVY!r} if name in sys.modules))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"loaded at start-up: {done.stdout.strip()}"

