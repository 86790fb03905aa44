"""Serving a release folder with Datasette, read-only and immutable.

What belongs here: the one description of how a release is served (database
opened immutable with its precomputed counts, metadata, templates, plugins,
static mounts, hardened settings), as a command line for ``make run`` and as an
in-process ``Datasette`` object for tests; both come from ``site_config``.

``make serve`` runs ``serve_command``: uvicorn with one worker process per core,
each holding the same Datasette app (``asgi_app``, built from ``site_config`` in
the worker). One Datasette process computes a page on one core (its Python
rendering holds the GIL), so on N cores N processes serve up to N times the
uncached pages. ``datasette_command`` is the single-process ``datasette serve``
equivalent, kept for comparison in ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.paths import PUBLISH_ASSETS, paths_from_env
from pipeline.publish import DB_FILE, DOWNLOADS, INSPECT_FILE, METADATA_FILE, SETTINGS_FILE

DEFAULT_PORT = 8001
DEFAULT_HOST = "127.0.0.1"
SITE_ENV = "SOLEIMANI_SITE_DIR"  # the release folder a worker of ``serve_command`` serves
WORKERS_ENV = "SERVE_WORKERS"  # worker processes (default: one per core this process may run on)


@dataclass(frozen=True)
class SiteConfig:
    db: Path
    inspect_file: Path
    metadata: Path
    template_dir: Path
    plugins_dir: Path
    static_mounts: tuple[tuple[str, Path], ...]
    settings: dict[str, Any]
    version: str | None


def site_config(site_dir: Path) -> SiteConfig:
    """Everything Datasette needs from a release folder (symlinks resolved: one release per server)."""
    site = Path(site_dir).resolve()
    db = site / DB_FILE
    if not db.exists():
        raise PipelineError("no published release here (run `make build` first)", site)
    settings_path = site / SETTINGS_FILE
    if not settings_path.exists():
        settings_path = PUBLISH_ASSETS / SETTINGS_FILE
    settings: dict[str, Any] = json.loads(settings_path.read_text(encoding="utf-8")) if settings_path.exists() else {}
    version_file = site / DOWNLOADS / "VERSION"
    version = version_file.read_text(encoding="utf-8").strip() if version_file.exists() else None
    mounts = [("downloads", site / DOWNLOADS)]
    if (site / "static").is_dir():
        mounts.append(("static", site / "static"))
    if site.parent.name == "releases":  # every earlier release stays downloadable
        mounts.append(("releases", site.parent))
    return SiteConfig(
        db=db,
        inspect_file=site / INSPECT_FILE,
        metadata=site / METADATA_FILE,
        template_dir=site / "templates",
        plugins_dir=site / "plugins",
        static_mounts=tuple(mounts),
        settings=settings,
        version=version,
    )


def _setting_value(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def datasette_command(site_dir: Path, port: int = DEFAULT_PORT, host: str = DEFAULT_HOST) -> list[str]:
    """The ``datasette serve`` command line for the release in ``site_dir``."""
    cfg = site_config(site_dir)
    cmd = [sys.executable, "-m", "datasette", "serve", "-i", str(cfg.db)]
    if cfg.inspect_file.exists():
        cmd += ["--inspect-file", str(cfg.inspect_file)]
    cmd += ["--metadata", str(cfg.metadata)]
    if cfg.template_dir.is_dir():
        cmd += ["--template-dir", str(cfg.template_dir)]
    if cfg.plugins_dir.is_dir():
        cmd += ["--plugins-dir", str(cfg.plugins_dir)]
    for mount, folder in cfg.static_mounts:
        cmd += ["--static", f"{mount}:{folder}"]
    for name, value in cfg.settings.items():
        cmd += ["--setting", name, _setting_value(value)]
    if cfg.version:
        cmd += ["--version-note", f"release {cfg.version}"]
    cmd += ["--host", host, "--port", str(port)]
    return cmd


def datasette_app(site_dir: Path) -> Any:
    """The same site as ``datasette_command``, in process (for tests: ``app.client.get(...)``)."""
    from datasette.app import Datasette

    cfg = site_config(site_dir)
    inspect = json.loads(cfg.inspect_file.read_text(encoding="utf-8")) if cfg.inspect_file.exists() else None
    if inspect:  # Datasette reads "file" only in config-directory mode; keep it absolute anyway
        for entry in inspect.values():
            entry["file"] = str(cfg.db)
    return Datasette(
        immutables=[str(cfg.db)],
        inspect_data=inspect,
        metadata=json.loads(cfg.metadata.read_text(encoding="utf-8")),
        template_dir=str(cfg.template_dir) if cfg.template_dir.is_dir() else None,
        plugins_dir=str(cfg.plugins_dir) if cfg.plugins_dir.is_dir() else None,
        static_mounts=[(mount, str(folder)) for mount, folder in cfg.static_mounts],
        settings=cfg.settings,
        version_note=f"release {cfg.version}" if cfg.version else None,
    )


def default_workers() -> int:
    if os.environ.get(WORKERS_ENV):
        return max(1, int(os.environ[WORKERS_ENV]))
    return max(1, len(os.sched_getaffinity(0)))


def serve_command(
    site_dir: Path, port: int = DEFAULT_PORT, host: str = DEFAULT_HOST, workers: int | None = None
) -> tuple[list[str], dict[str, str]]:
    """The multi-process server for the release in ``site_dir``: command line and environment.

    uvicorn's supervisor binds the socket, starts ``workers`` processes (spawned, not forked)
    that accept on it, and restarts any that dies; each builds ``asgi_app`` from ``SITE_ENV``.
    """
    site_config(site_dir)  # fail here, with the folder named, not in every worker
    env = {**os.environ, SITE_ENV: str(Path(site_dir).resolve())}
    cmd = [sys.executable, "-m", "uvicorn", f"{__name__}:asgi_app", "--factory",
           "--host", host, "--port", str(port), "--workers", str(workers or default_workers()),
           "--lifespan", "on", "--no-access-log", "--log-level", "warning", "--timeout-graceful-shutdown", "5"]
    return cmd, env


def asgi_app() -> Any:
    """uvicorn ``--factory`` target: the Datasette ASGI app of the release in ``SITE_ENV``. Its
    startup (plugins' startup hooks, table counts from the inspect file) runs on the first ASGI
    call, which with ``--lifespan on`` is the server's start, not a reader's first request."""
    return datasette_app(Path(os.environ[SITE_ENV])).app()


def main(port: int | None = None, argv: list[str] | None = None) -> int:
    """Serve the current release (``publish/site`` under OUT_DIR); replaces this process."""
    parser = argparse.ArgumentParser(prog="pipeline.serve", description=__doc__)
    parser.add_argument("--port", type=int, default=port or int(os.environ.get("PORT") or DEFAULT_PORT))
    parser.add_argument("--host", default=os.environ.get("HOST") or DEFAULT_HOST)
    parser.add_argument("--site-dir", type=Path, default=paths_from_env().site_dir)
    parser.add_argument("--workers", type=int, default=None, help=f"processes (default: cores, or ${WORKERS_ENV})")
    parser.add_argument("--single", action="store_true", help="one `datasette serve` process instead")
    args = parser.parse_args(argv if argv is not None else ([] if port is not None else None))
    try:
        if args.single:
            cmd, env = datasette_command(args.site_dir, port=args.port, host=args.host), dict(os.environ)
        else:
            cmd, env = serve_command(args.site_dir, port=args.port, host=args.host, workers=args.workers)
    except PipelineError as exc:
        print(exc.one_line(), file=sys.stderr)
        return 1
    how = "1 process" if args.single else f"{cmd[cmd.index('--workers') + 1]} worker processes"
    print(f"serving {Path(args.site_dir).resolve().name} on http://{args.host}:{args.port}/ ({how})", flush=True)
    os.execve(cmd[0], cmd, env)
    return 0  # not reached: execv replaces the process


if __name__ == "__main__":
    sys.exit(main())
