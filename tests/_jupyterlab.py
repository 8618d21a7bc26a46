"""Drive JupyterLab in headless Chromium as a student on Binder would: open a
chapter, Run All, move a dashboard's slider.

Used by the slow test in ``tests/test_binder.py``, against the JupyterLab of the
Binder environment.  The server runs on a copy of ``book/`` (Run All changes the
outputs, and a student's autosave must never reach the repository), with autosave
and the news poll off, and exposes ``window.jupyterapp`` so that the test can read
the notebook model and ask the chapter's own kernel what its figure shows.
"""

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


class Lab:
    """``jupyter lab`` (the executable ``jupyter``) serving a copy of ``book``."""

    def __init__(self, jupyter, book, tmp, env=None):
        root, settings = Path(tmp) / "lab", Path(tmp) / "lab-settings"
        shutil.copytree(book, root / "book", ignore=shutil.ignore_patterns("_build"))
        for name, value in SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(value))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(Path(tmp) / "jupyterlab.log", "w")
        self.proc = subprocess.Popen(
            [
                str(jupyter),
                "lab",
                "--no-browser",
                "--allow-root",
                "--ip=127.0.0.1",
                f"--port={port}",
                "--IdentityProvider.token=",
                "--ServerApp.password=",
                f"--ServerApp.root_dir={root}",
                f"--LabApp.user_settings_dir={settings}",
                f"--LabApp.workspaces_dir={Path(tmp) / 'lab-workspaces'}",
                "--LabApp.expose_app_in_browser=True",
            ],
            cwd=root,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=5):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError("jupyter lab did not start:\n" + self.logged())
                time.sleep(0.5)

    def logged(self):
        self.log.flush()
        return Path(self.log.name).read_text()[-3000:]

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


# The state of the open notebook: null until its kernel is idle and every Markdown
# cell is rendered by MyST.  (Short scripts polled from Python: a script that waits
# inside the browser would outlast the WebDriver's HTTP timeout on a busy machine.)
OPENED_JS = """
const app = window.jupyterapp, panel = app && app.shell.currentWidget;
const kernel = panel && panel.sessionContext && panel.sessionContext.session
               && panel.sessionContext.session.kernel;
const md = panel && panel.content
  ? panel.content.widgets.filter(w => w.model.type === 'markdown') : [];
if (!(kernel && kernel.status === 'idle' && md.length
      && md.every(w => w.node.querySelector('.myst')))) return null;
const tagged = tag => panel.content.widgets.filter(
    w => w.model.type === 'code' && (w.model.getMetadata('tags') || []).includes(tag));
return {dirty: panel.context.model.dirty, cells: panel.content.widgets.length,
        kernel: panel.sessionContext.kernelDisplayName,
        // textContent: innerText is empty in cells the browser has not laid out yet
        rendered: md.map(w => w.node.querySelector('.myst').textContent),
        open_checks: tagged('remove-cell').filter(w => !w.inputHidden).length,
        open_solutions: tagged('solution')
                          .filter(w => !w.inputHidden || !w.outputHidden).length};
"""

# Run All, as the Run menu does; the result lands in window.__runAll
RUN_ALL_JS = """
const app = window.jupyterapp, panel = app.shell.currentWidget;
const t0 = performance.now();
window.__runAll = null;
app.commands.execute('notebook:run-all-cells').then(async () => {
  const kernel = panel.sessionContext.session.kernel;
  while (kernel.status !== 'idle') await new Promise(r => setTimeout(r, 100));
  const seconds = (performance.now() - t0) / 1000;
  const code = panel.content.widgets.filter(w => w.model.type === 'code');
  const errors = code.flatMap((w, i) => w.model.outputs.toJSON()
      .filter(o => o.output_type === 'error')
      .map(o => `code cell ${i}: ${o.ename}: ${o.evalue}`));
  const unrun = code.filter(w => w.model.executionCount === null).length;
  window.__runAll = {seconds, errors, unrun};
}, e => { window.__runAll = {error: String(e)}; });
"""

# the dashboard's slider labelled `label`, its readout, the figure it shows, cut labels
SLIDER_JS = """
const label = arguments[0];
const slider = [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .widget-slider')]
    .find(s => s.querySelector('.widget-label').textContent.trim() === label);
if (!slider) return null;
const box = slider.closest('.widget-vbox');
const img = box && box.querySelector('.jp-OutputArea-output img');
slider.scrollIntoView({block: 'center'});
return {handle: slider.querySelector('.noUi-handle'),
        readout: slider.querySelector('.widget-readout').textContent.trim(),
        image: img ? img.src.length + ':' + img.src.slice(-200) : null,
        cut: [...box.querySelectorAll('.widget-label')]
              .filter(e => e.scrollWidth > e.clientWidth + 1)
              .map(e => e.textContent)};
"""

# run `code` in the notebook's own kernel, silently (no cell, no output in the notebook)
KERNEL_JS = """
const [code, done] = [arguments[0], arguments[arguments.length - 1]];
const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
const future = kernel.requestExecute({code, store_history: false});
let text = '';
future.onIOPub = msg => {
  if (msg.header.msg_type === 'stream') text += msg.content.text;
  if (msg.header.msg_type === 'error')
    text += 'ERROR ' + msg.content.ename + ': ' + msg.content.evalue;
};
future.done.then(() => done(text), e => done('ERROR ' + e));
"""


def poll(driver, script, seconds, what):
    """Run ``script`` until it returns something other than null."""
    deadline = time.monotonic() + seconds
    while (value := driver.execute_script(script)) is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {seconds} s")
        time.sleep(0.5)
    return value


def open_notebook(driver, lab, path):
    """Open ``path`` (relative to the served folder); wait for its idle kernel."""
    driver.set_page_load_timeout(100)  # under the WebDriver's own 120 s
    driver.get(f"{lab.url}/lab/tree/{path}")
    return poll(driver, OPENED_JS, 300, f"{path} did not open with an idle kernel")


def run_all(driver):
    driver.execute_script(RUN_ALL_JS)
    return poll(driver, "return window.__runAll;", 900, "Run All did not finish")


def slider(driver, label):
    """The slider scrolled into view (so laid out: its labels measurable), or None."""
    if driver.execute_script(SLIDER_JS, label) is None:
        return None
    time.sleep(0.5)
    return driver.execute_script(SLIDER_JS, label)


def in_kernel(driver, code):
    driver.set_script_timeout(100)
    return driver.execute_async_script(KERNEL_JS, code)


def move_slider(driver, label, presses, key="ARROW_RIGHT"):
    """Focus the slider's handle and press an arrow key, as a keyboard user would."""
    from selenium.webdriver.common.keys import Keys

    handle = slider(driver, label)["handle"]
    handle.click()
    for _ in range(presses):
        handle.send_keys(getattr(Keys, key))
