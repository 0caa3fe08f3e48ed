"""One headless Chromium and its DevTools pipe, for the browser tests (tests/chromium.py answers
its requests with Django's test client; tests/deploy/chromium.py points it at a live server).

``--remote-debugging-pipe`` makes Chromium read commands from its file descriptor 3 and write
answers and events to 4, each a JSON message ended by a NUL byte: no WebDriver and no websocket
library is needed, only the `chromium` Debian package (make system-packages).
"""

import json
import os
import shutil
import subprocess
import tempfile

# A browser that does nothing on its own: no sandbox (we are root in CI), no GPU, no background
# requests to Google's services (refused on this network, and they would show among a page's
# requests).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-pipe",
)


def executable() -> str | None:
    """Debian's chromium (make system-packages installs it), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class DevToolsPipe:
    """A headless Chromium on a fresh profile. ``send`` writes a command; once ``fileno()`` is
    readable (select), ``receive`` returns the whole messages that arrived."""

    def __init__(self) -> None:
        binary = executable()
        if binary is None:
            raise FileNotFoundError("chromium is not installed")
        self._profile = tempfile.mkdtemp(prefix="chromium-profile-")
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()

        def pipes_as_3_and_4() -> None:
            # Through high numbers first: a pipe may itself be on 3 or 4.
            os.dup2(commands_read, 100)
            os.dup2(answers_write, 101)
            os.dup2(100, 3)
            os.dup2(101, 4)

        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=pipes_as_3_and_4,
        )
        os.close(commands_read)
        os.close(answers_write)
        self._buffer = b""

    def fileno(self) -> int:
        return self._answers

    def send(self, message: dict) -> None:
        os.write(self._commands, json.dumps(message).encode() + b"\0")

    def receive(self) -> list[dict]:
        """The messages completed by one read (perhaps none); ConnectionError once Chromium
        has closed the pipe."""
        chunk = os.read(self._answers, 1 << 20)
        if not chunk:
            raise ConnectionError(f"Chromium closed its DevTools pipe ({self.process.poll()})")
        self._buffer += chunk
        *messages, self._buffer = self._buffer.split(b"\0")
        return [json.loads(raw) for raw in messages]

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._answers)
        # Chromium's helper processes may still write into the profile after the browser has
        # exited (seen once in CI: "Directory not empty: 'Default'"): what is left then is a
        # temporary folder, not a failed test.
        shutil.rmtree(self._profile, ignore_errors=True)
