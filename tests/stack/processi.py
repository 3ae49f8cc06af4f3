"""A real `celery worker` as a child process group, for the stack tests and the fault drills."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

RADICE = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def porta_libera() -> int:
    """A port nothing listens on now, for a private server or gunicorn."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WorkerCelery:
    """One prefork process on ``env``'s broker, in its own process group, logging to a file."""

    def __init__(
        self, env: dict[str, str], registro: Path, *, importa: str, nome: str, coda: str = ""
    ):
        self.env = env
        self.registro = registro
        self.importa = importa  # a module the worker imports (test tasks, pauses)
        self.nome = nome
        self.coda = coda
        self.processo: subprocess.Popen | None = None

    def avvia(self) -> None:
        coda = ["-Q", self.coda] if self.coda else []
        with self.registro.open("ab") as registro:
            self.processo = subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "-A",
                    "pianizona",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=1",
                    *coda,
                    "-I",
                    self.importa,
                    "-n",
                    f"{self.nome}-{uuid.uuid4().hex[:8]}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                ],
                cwd=RADICE,
                env=self.env,
                stdout=registro,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: parent and pool children
            )

    def uccidi(self) -> None:
        """SIGKILL the whole group: no warm shutdown, no acknowledgement, no clean-up."""
        if self.processo is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.processo.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.processo.wait(timeout=10)

    def ferma(self) -> None:
        """A warm shutdown, then SIGKILL for whatever is left of the group."""
        if self.processo is None:
            return
        with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.processo.pid, signal.SIGTERM)
            self.processo.wait(timeout=15)
        self.uccidi()

    def log(self) -> str:
        return self.registro.read_text(errors="replace")[-4000:]
