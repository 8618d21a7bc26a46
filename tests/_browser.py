"""Load pages of a built site in headless Chromium and list what a reader would see
broken.

Used by ``tests/test_browser.py`` on ``_build/html`` and on small fixture pages.
Every check returns short problem strings; an empty list means the page is fine.
The browser runs with every host name but 127.0.0.1 unresolvable, so a page
that needs the internet (a CDN script, a remote font) fails here as it would
for a reader offline.
"""

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import parse_qs, urldefrag, urlparse

WIDE, NARROW = 1400, 400
INSTALL_HINT = (
    "headless Chromium is needed for the browser test: on Debian/Ubuntu run "
    "`sudo apt-get install chromium chromium-driver` (pip's selenium is in "
    "requirements.txt); .ci/run installs them when missing"
)
REFRESH = re.compile(r'<meta http-equiv="refresh" content="\d+;\s*url=([^"]+)"', re.I)
BINDER = re.compile(
    r"^https://mybinder\.org/v2/gh/(?P<repo>[\w.-]+/[\w.-]+)/(?P<branch>[\w.-]+)$"
)


def find_browser():
    """(chromium binary, chromedriver) or None when either is missing."""
    chrome = next(
        filter(
            None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))
        ),
        None,
    )
    driver = shutil.which("chromedriver") or next(
        (
            p
            for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
            if os.path.exists(p)
        ),
        None,
    )
    return (chrome, driver) if chrome and driver else None


class Server:
    """``http.server`` on 127.0.0.1 (a free port) serving ``root``; records failed
    requests."""

    def __init__(self, root):
        failed = self.failed = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send_error(self, code, *args, **kwargs):
                failed.append(f"{code} {self.path}")
                super().send_error(code, *args, **kwargs)

        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(root))
        )
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def start_driver(chrome, chromedriver):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-extensions",
        "--no-first-run",
        "--force-device-scale-factor=1",
        f"--window-size={WIDE},1000",
        # no internet: only the local server resolves
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(
        options=opts, service=Service(executable_path=chromedriver)
    )
    # generous: make test runs the browser beside two nbval jobs on a 2-core machine,
    # and a page load that waits for CPU is not a fault of the page
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(120)
    return driver


def set_width(driver, width):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
    )


# Waits for the images (lazy ones made eager) and for MathJax, if the page loads it.
SETTLE_JS = """
const done = arguments[arguments.length - 1];
const imgs = Array.from(document.images);
imgs.forEach(i => { if (i.loading === 'lazy') i.loading = 'eager'; });
const loaded = imgs.map(i => i.complete ? Promise.resolve() :
    new Promise(r => {
      i.addEventListener('load', r);
      i.addEventListener('error', r);
    }));
const mathjax = () => new Promise(r => {
  const t0 = Date.now();
  (function poll() {
    if (!document.querySelector('script[src*="mathjax"]')) return r('none');
    if (window.MathJax && MathJax.startup && MathJax.startup.promise)
      return MathJax.startup.promise.then(() => r('ok'), e => r('error ' + e));
    if (Date.now() - t0 > 15000) return r('MathJax never started');
    setTimeout(poll, 50);
  })();
});
Promise.all(loaded).then(mathjax).then(done);
"""

SHRINK = 0.9  # a figure shown below 90 % of its size: 10 pt fonts read under 9 pt
SQUASH = 0.02  # a figure drawn more than 2 % off its own aspect ratio
# the text column; how to name an element in a problem (its section, equation or alt)
DESCRIBE_JS = r"""
const SHRINK = __SHRINK__, SQUASH = __SQUASH__;
const col = document.querySelector('article.bd-article') || document.body;
const tex = e => {   // the TeX source of a typeset equation, to name it
  const doc = window.MathJax && MathJax.startup && MathJax.startup.document;
  try { return doc.getMathItemsWithin(e.closest('mjx-container'))[0].math; }
  catch (err) { return ''; }
};
const describe = e => {
  const sec = e.closest('section[id]');
  const what = /^MJX-/.test(e.tagName) ? 'equation ' + tex(e)
             : e.tagName.toLowerCase() + ' ' + (e.getAttribute('alt') || e.textContent);
  const name = JSON.stringify((what || '').replace(/\s+/g, ' ').trim().slice(0, 50));
  return (sec ? '#' + sec.id + ' ' : '') + name;
};
""".replace("__SHRINK__", str(SHRINK)).replace("__SQUASH__", str(SQUASH))
PAGE_JS = (
    DESCRIBE_JS
    + r"""
const cs = getComputedStyle(col);
const colWidth = col.clientWidth - parseFloat(cs.paddingLeft)
                 - parseFloat(cs.paddingRight);
const skip = 'pre, code, script, style, textarea, mjx-container, .highlight, .MathJax';
const raw = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n; (n = walker.nextNode());) {
  const p = n.parentElement;
  if (!p || p.closest(skip) || p.closest('[hidden]')) continue;
  // TeX delimiters, or a TeX command (\partial, \hat, ...) outside code and typeset
  // math
  const m = n.textContent.match(/\\[()\[\]]|\$\$|\\[A-Za-z]{2,}/);
  if (m) raw.push((p.closest('a') ? 'link text: ' : '')
                  + n.textContent.trim().slice(0, 60));
}
const wide = [];
col.querySelectorAll(
  'mjx-container[display="true"] > mjx-math, table, figure, img'
).forEach(e => {
  const w = e.getBoundingClientRect().width;
  if (w > colWidth + 1) wide.push(describe(e) + ` ${Math.round(w)} px`);
});
// an output figure drawn wider than the column is shrunk, its fonts with it
// (a retina PNG declares its 1x size: myst-nb writes it as an inline style width)
const shrunk = Array.from(col.querySelectorAll('.cell_output img'))
  .filter(i => i.naturalWidth > 0)
  .map(i => [i, parseFloat(i.getAttribute('width')) || parseFloat(i.style.width)
                || i.naturalWidth])
  .filter(([i, w]) => i.getBoundingClientRect().width < SHRINK * w)
  .map(([i, w]) => describe(i) + ` drawn ${Math.round(w)} px wide, shown at `
                   + Math.round(100 * i.getBoundingClientRect().width / w) + ' %');
const counts = {};
document.querySelectorAll('[id]').forEach(e => counts[e.id] = (counts[e.id] || 0) + 1);
const untypeset = Array.from(document.querySelectorAll('.math')).filter(
  e => !e.querySelector('mjx-container') && !e.closest('pre, code')).length;
const cells = Array.from(document.querySelectorAll('.cell')).filter(
  c => !c.querySelector('.cell_input')
       && c.querySelector('.output.stream, .output.text_plain')
       && c.querySelector('.cell_output').textContent.trim());
return {
  colWidth: colWidth,
  brokenImgs: Array.from(document.images)
                   .filter(i => !i.complete || i.naturalWidth === 0)
                   .map(i => i.getAttribute('src')),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  ids: Array.from(document.querySelectorAll('[id], a[name]'))
            .map(e => e.id || e.getAttribute('name')),
  duplicateIds: Object.entries(counts).filter(([id, n]) => n > 1)
                      .map(([id, n]) => `${id} (${n} times)`),
  mathErrors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
  untypeset: untypeset,
  raw: raw,
  wide: wide,
  shrunk: shrunk,
  codelessOutputs: cells.map(
    c => c.querySelector('.cell_output').textContent.trim().slice(0, 40)),
  binder: Array.from(document.querySelectorAll('a[href*="mybinder"]')).map(a => a.href),
};
"""
)

# At each width: figures drawn at their own shape; math not cut off by an element
# that hides overflow (one that scrolls is fine: the reader reaches the end); a value
# and its interval, "0.019 [0.010, 0.021]", on one line; a Markdown figure (drawn
# with its text at reading size, e.g. the course map) not shrunk below SHRINK.
LAYOUT_JS = (
    DESCRIBE_JS
    + r"""
const shown = e => e.getClientRects().length > 0;
const out = {squashed: [], clipped: [], broken: [], small: []};
for (const i of document.images) {
  const cs = getComputedStyle(i);
  if (!i.naturalWidth || !shown(i) || /contain|cover|scale-down/.test(cs.objectFit))
    continue;
  const drawn = parseFloat(cs.width) / parseFloat(cs.height);
  const q = drawn / (i.naturalWidth / i.naturalHeight);
  if (Math.abs(q - 1) > SQUASH)
    out.squashed.push(describe(i) + ` drawn at ${q.toFixed(2)} of its aspect ratio`);
}
col.querySelectorAll('mjx-container').forEach(m => {
  if (!shown(m)) return;
  const r = m.getBoundingClientRect();
  for (let a = m.parentElement; a && a !== document.body; a = a.parentElement) {
    const ox = getComputedStyle(a).overflowX;
    if (/auto|scroll/.test(ox)) break;
    const b = a.getBoundingClientRect();
    if (/hidden|clip/.test(ox) && (r.right > b.right + 1 || r.left < b.left - 1)) {
      out.clipped.push(describe(m.querySelector('mjx-math') || m)
                       + ` ${Math.round(r.width)} px in ${Math.round(b.width)} px`);
      break;
    }
  }
});
const interval = /[-−]?\d[\d.]*\s+\[[-−]?\d[\d.]*,\s*[-−]?\d[\d.]*\]/g;
const walker = document.createTreeWalker(col, NodeFilter.SHOW_TEXT);
for (let n; (n = walker.nextNode());) {
  for (const m of n.textContent.matchAll(interval)) {
    const range = document.createRange();
    range.setStart(n, m.index);
    range.setEnd(n, m.index + m[0].length);
    const tops = Array.from(range.getClientRects()).map(r => r.top);
    if (tops.length && Math.max(...tops) - Math.min(...tops) > 2)
      out.broken.push(JSON.stringify(m[0].replace(/\s+/g, ' ')));
  }
}
col.querySelectorAll('figure img').forEach(i => {
  if (i.closest('.cell_output')) return;           // a Markdown figure, not an output
  const scale = parseFloat(getComputedStyle(i).width) / i.naturalWidth;
  if (i.naturalWidth && shown(i) && scale < SHRINK)
    out.small.push(describe(i) + ` shown at ${Math.round(100 * scale)} % of its size`);
});
return out;
"""
)


# After a change of width: wait until each <picture> shows the source its media query
# now picks, and every image has loaded.
PICTURES_JS = """
const done = arguments[arguments.length - 1];
const wanted = i => {
  const sources = i.parentElement.tagName === 'PICTURE'
                  ? Array.from(i.parentElement.querySelectorAll('source')) : [];
  const picked = sources.find(s => !s.media || matchMedia(s.media).matches);
  if (!picked) return i.src;
  return new URL(picked.srcset.trim().split(/\\s+/)[0], document.baseURI).href;
};
const t0 = Date.now();
(function poll() {
  const waiting = Array.from(document.images).filter(
    i => !i.complete || i.currentSrc !== wanted(i));
  if (!waiting.length || Date.now() - t0 > 10000) return done();
  setTimeout(poll, 50);
})();
"""


def check_layout(driver, width):
    """LAYOUT_JS at ``width`` (after the images a new width picks have loaded)."""
    set_width(driver, width)
    driver.execute_async_script(PICTURES_JS)
    found = driver.execute_script(LAYOUT_JS)
    what = {
        "squashed": "figure squashed",
        "clipped": "math cut off",
        "broken": "value and interval broken over lines",
        "small": "figure text shrunk",
    }
    return [f"{what[k]} at {width} px: {t}" for k in what for t in found[k]]


SOLUTIONS_JS = """
const visible = e => e.offsetHeight > 0 && getComputedStyle(e).visibility !== "hidden";
const sols = Array.from(document.querySelectorAll('.solution'));
const out = [];
for (const s of sols) {
  const body = Array.from(s.children).filter(
    c => !c.classList.contains('admonition-title') && !c.matches('button'));
  const shown = body.some(visible);
  const btn = s.querySelector('.toggle-button, .admonition-title, summary');
  if (btn) btn.click();
  // an executed code cell (myst-nb's .cell with its input), not a Markdown code fence
  const code = Array.from(s.querySelectorAll('.cell .cell_input pre'));
  out.push({id: s.id, hiddenFirst: !shown, openAfterClick: body.some(visible),
            hasCode: code.length > 0, codeShown: code.some(visible)});
}
return out;
"""


class Page:
    """The result of loading one page: ``problems`` and what the crawl needs."""

    def __init__(self, url, problems, links, ids):
        self.url, self.problems, self.links, self.ids = url, problems, links, ids


def check_page(driver, server, url, notebook=None, repo=None, branch="main"):
    """Load ``url`` at 1400 px and at 400 px; return a Page.

    ``notebook``: the page's notebook path in the repository (e.g.
    ``book/01_neurons.ipynb``), whose Binder launch URL must be on the page;
    ``repo``: "owner/name" the launch URL must point at.
    """
    problems = []
    set_width(driver, WIDE)
    driver.get_log("browser")  # drop what the previous page logged
    n_failed = len(server.failed)
    driver.get(url)
    state = driver.execute_async_script(SETTLE_JS)
    if state not in ("ok", "none"):
        problems.append(f"MathJax: {state}")
    info = driver.execute_script(PAGE_JS)
    problems += [f"image not loaded: {src}" for src in info["brokenImgs"]]
    if info["mathErrors"]:
        problems.append(f"MathJax error nodes: {info['mathErrors']}")
    if info["untypeset"]:
        problems.append(f"math not typeset: {info['untypeset']} expressions")
    problems += [f"raw TeX in the text: {t!r}" for t in info["raw"]]
    problems += [
        f"wider than the {info['colWidth']:.0f} px text column at {WIDE} px: {w}"
        for w in info["wide"]
    ]
    problems += [
        f"output shown without its code: {t!r}" for t in info["codelessOutputs"]
    ]
    problems += [
        f"figure shrunk to fit the column (fonts shrink too): {t}"
        for t in info["shrunk"]
    ]
    problems += [f"duplicate id: {t}" for t in info["duplicateIds"]]
    problems += check_layout(driver, WIDE)

    for sol in driver.execute_script(SOLUTIONS_JS):
        if not sol["hiddenFirst"]:
            problems.append(f"solution {sol['id']} is not hidden by default")
        elif not sol["openAfterClick"]:
            problems.append(f"solution {sol['id']} does not open on click")
        if not sol["hasCode"]:
            problems.append(f"solution {sol['id']} holds no executed code cell")
        elif sol["hiddenFirst"] and sol["openAfterClick"] and not sol["codeShown"]:
            problems.append(f"solution {sol['id']} does not show its code when opened")

    problems += check_binder(info["binder"], notebook, repo, branch)

    problems += check_layout(driver, NARROW)
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - "
        "document.documentElement.clientWidth"
    )
    if overflow > 1:
        problems.append(
            f"horizontal page scroll at {NARROW} px: {overflow} px too wide"
        )
    # at both widths (a phone may load its own image or MathJax component)
    for entry in driver.get_log("browser"):
        if entry["level"] == "SEVERE":
            problems.append(f"console: {entry['message'][:160]}")
    problems += [f"failed request: {r}" for r in server.failed[n_failed:]]
    set_width(driver, WIDE)
    return Page(url, problems, info["links"], set(info["ids"]))


def check_binder(urls, notebook, repo, branch):
    """The Binder launch links: well formed, for this page's notebook."""
    problems = []
    if notebook and not urls:
        return [f"no Binder launch button for {notebook}"]
    for url in urls:
        base, _, query = url.partition("?")
        m = BINDER.match(base)
        path = parse_qs(query).get("urlpath", [""])[0]
        if not m or (repo and m["repo"] != repo) or m["branch"] != branch:
            problems.append(f"Binder URL does not point at {repo}@{branch}: {url}")
        elif path != f"lab/tree/{notebook}":
            problems.append(
                f"Binder URL opens {path!r}, not lab/tree/{notebook}: {url}"
            )
    return problems


def crawl(
    driver,
    server,
    root,
    start="index.html",
    notebooks=None,
    repo=None,
    branch="main",
    report=print,
):
    """Check every HTML page reachable from ``start``; then every internal link and
    anchor.

    ``notebooks`` maps a page path (``book/01_neurons.html``) to its notebook
    path. Returns {page path: [problems]}.
    """
    root = Path(root)
    notebooks = notebooks or {}
    todo, seen, pages = [start], {start}, {}
    while todo:
        path = todo.pop(0)
        redirect = REFRESH.search((root / path).read_text(errors="replace"))
        if redirect:  # Jupyter Book's index.html: a redirect to the root page
            target = (Path(path).parent / redirect[1]).as_posix()
            pages[path] = Page(
                server.url + path,
                []
                if (root / target).is_file()
                else [f"redirect to a missing page: {target}"],
                [],
                set(),
            )
            report(f"{path:42s} redirect to {target}")
            if target not in seen:
                seen.add(target)
                todo.append(target)
            continue
        page = check_page(
            driver, server, server.url + path, notebooks.get(path), repo, branch
        )
        pages[path] = page
        report(
            f"{path:42s} "
            f"{'ok' if not page.problems else f'{len(page.problems)} problem(s)'}"
        )
        for link in page.links:
            target = _internal(link, server.url)
            if (
                target
                and target.endswith(".html")
                and target not in seen
                and (root / target).is_file()
            ):
                seen.add(target)
                todo.append(target)

    result = {path: list(page.problems) for path, page in pages.items()}
    for path, page in pages.items():
        for link in page.links:
            target = _internal(link, server.url)
            if target is None:
                continue
            fragment = urldefrag(link).fragment
            if not (root / target).is_file():
                result[path].append(f"broken link: {target}")
            elif fragment and target in pages and fragment not in pages[target].ids:
                result[path].append(f"broken anchor: {target}#{fragment}")
    return result


def _internal(link, base):
    """The site-relative path of ``link`` if it is on the local server, else None."""
    if not link.startswith(base):
        return None
    path = urlparse(urldefrag(link).url).path.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path
