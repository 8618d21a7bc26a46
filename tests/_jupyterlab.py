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

import _browser

SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
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
            [str(jupyter), "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
             f"--port={port}", "--IdentityProvider.token=", "--ServerApp.password=",
             f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={settings}",
             f"--LabApp.workspaces_dir={Path(tmp) / 'lab-workspaces'}",
             "--LabApp.expose_app_in_browser=True"],
            cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT)
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


# the open notebook, once its kernel is idle: [dirty, cells, markdown rendered by MyST]
OPENED_JS = """
const done = arguments[arguments.length - 1];
const t0 = Date.now();
(async function poll() {
  const app = window.jupyterapp, panel = app && app.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
                 && panel.sessionContext.session.kernel;
  const md = panel ? panel.content.widgets.filter(w => w.model.type === 'markdown') : [];
  if (!(kernel && kernel.status === 'idle' && md.length
        && md.every(w => w.node.querySelector('.myst')))) {
    if (Date.now() - t0 > 150000) return done({error: 'the notebook never opened with an idle kernel'});
    return setTimeout(poll, 250);
  }
  await new Promise(r => setTimeout(r, 2000));   // JupyterLab's metadata update, if any
  const rendered = md.map(w => w.node.querySelector('.myst').innerText);
  const tagged = tag => panel.content.widgets.filter(
      w => w.model.type === 'code' && (w.model.getMetadata('tags') || []).includes(tag));
  done({dirty: panel.context.model.dirty, cells: panel.content.widgets.length,
        kernel: panel.sessionContext.kernelDisplayName, rendered,
        not_found: md.flatMap(w => [...w.node.querySelectorAll('[title$="Not Found"]')]
                                   .map(e => e.title + ': ' + e.innerText)),
        open_checks: tagged('remove-cell').filter(w => !w.inputHidden).length,
        open_solutions: tagged('solution').filter(w => !w.inputHidden || !w.outputHidden).length});
})();
"""

RUN_ALL_JS = """
const done = arguments[arguments.length - 1];
const app = window.jupyterapp, panel = app.shell.currentWidget;
const t0 = performance.now();
app.commands.execute('notebook:run-all-cells').then(async () => {
  const kernel = panel.sessionContext.session.kernel;
  while (kernel.status !== 'idle') await new Promise(r => setTimeout(r, 100));
  const seconds = (performance.now() - t0) / 1000;
  const code = panel.content.widgets.filter(w => w.model.type === 'code');
  const errors = code.flatMap((w, i) => w.model.outputs.toJSON()
      .filter(o => o.output_type === 'error').map(o => `code cell ${i}: ${o.ename}: ${o.evalue}`));
  done({seconds, errors, unrun: code.filter(w => w.model.executionCount === null).length});
}, e => done({error: String(e)}));
"""

# the dashboard's slider labelled `label`, its readout, the figure it shows, cut labels
SLIDER_JS = """
const label = arguments[0];
const slider = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .widget-slider')]
    .find(s => s.querySelector('.widget-label').innerText.trim() === label);
if (!slider) return null;
const box = slider.closest('.widget-vbox');
const img = box && box.querySelector('.jp-OutputArea-output img');
slider.scrollIntoView({block: 'center'});
return {handle: slider.querySelector('.noUi-handle'),
        readout: slider.querySelector('.widget-readout').innerText.trim(),
        image: img ? img.src.slice(-200) : null,
        cut: [...box.querySelectorAll('.widget-label')].filter(e => e.scrollWidth > e.clientWidth + 1)
              .map(e => e.innerText)};
"""

# run `code` in the notebook's own kernel, silently (no cell, no output in the notebook)
KERNEL_JS = """
const [code, done] = [arguments[0], arguments[arguments.length - 1]];
const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
const future = kernel.requestExecute({code, store_history: false});
let text = '';
future.onIOPub = msg => {
  if (msg.header.msg_type === 'stream') text += msg.content.text;
  if (msg.header.msg_type === 'error') text += 'ERROR ' + msg.content.ename + ': ' + msg.content.evalue;
};
future.done.then(() => done(text), e => done('ERROR ' + e));
"""


def open_notebook(driver, lab, path):
    """Open ``path`` (relative to the served folder); wait for its idle kernel."""
    driver.set_script_timeout(180)
    driver.get(f"{lab.url}/lab/tree/{path}")
    return driver.execute_async_script(OPENED_JS)


def run_all(driver):
    driver.set_script_timeout(600)
    return driver.execute_async_script(RUN_ALL_JS)


def slider(driver, label):
    return driver.execute_script(SLIDER_JS, label)


def in_kernel(driver, code):
    driver.set_script_timeout(120)
    return driver.execute_async_script(KERNEL_JS, code)


def move_slider(driver, label, presses, key="ARROW_RIGHT"):
    """Focus the slider's handle and press an arrow key, as a keyboard user would."""
    from selenium.webdriver.common.keys import Keys

    handle = slider(driver, label)["handle"]
    handle.click()
    for _ in range(presses):
        handle.send_keys(getattr(Keys, key))
