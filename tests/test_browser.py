"""The notebook experience in a real browser: the form tutorial in JupyterLab, and the built HTML docs.

Debian's Chromium (/usr/bin/chromium) is driven by Playwright's Python package; no browser is downloaded.
Skipped, with the reason, when chromium, playwright or jupyterlab are missing, except under OCNB_REQUIRE_BROWSER=1
(set by .ci/run), where a missing piece fails the test instead: CI must never pass without having looked.
Screenshots go to pytest's tmp dir; with OCNB_UPDATE_SCREENSHOTS=1 they also replace docs/screenshots/*.png."""
import functools, http.server, importlib.util, os, secrets, shutil, socket, socketserver, subprocess, sys, threading, time
import urllib.request
from pathlib import Path
import pytest

root = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get('OCNB_CHROMIUM', '/usr/bin/chromium')   # Debian's; another path only for tests
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run']

def _missing():
    if not Path(CHROMIUM).exists(): return f'{CHROMIUM} not found (apt-get install -y chromium)'
    for mod, pip in (('playwright', 'playwright'), ('jupyterlab', 'jupyterlab')):
        if importlib.util.find_spec(mod) is None: return f'python package {mod} not installed (pip install {pip})'
    return None

REQUIRED = os.environ.get('OCNB_REQUIRE_BROWSER') == '1'
pytestmark = pytest.mark.skipif(not REQUIRED and _missing() is not None, reason=_missing() or '')

def test_browser_is_available():
    "Under OCNB_REQUIRE_BROWSER=1 a missing browser is a failure with its reason, not a skip."
    assert _missing() is None, _missing()

def _free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _keep(png: Path, name: str):
    "Copy a screenshot into docs/screenshots when asked to (OCNB_UPDATE_SCREENSHOTS=1)."
    if os.environ.get('OCNB_UPDATE_SCREENSHOTS') == '1':
        (root/'docs'/'screenshots').mkdir(parents=True, exist_ok=True)
        shutil.copy(png, root/'docs'/'screenshots'/name)

@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()

@pytest.fixture
def lab(tmp_path):
    "JupyterLab on 127.0.0.1 serving a copy of the form tutorial; yields its URL with the token."
    shutil.copy(root/'nbs'/'tutorials'/'form.ipynb', tmp_path/'form.ipynb')
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, 'JUPYTER_CONFIG_DIR': str(tmp_path/'.jupyter'), 'JUPYTERLAB_WORKSPACES_DIR': str(tmp_path/'.ws')}
    shared = root.parent/'shared'/'data'
    if 'OCNB_DATA_DIR' not in env and shared.exists(): env['OCNB_DATA_DIR'] = str(shared)
    log = open(tmp_path/'lab.log', 'w')
    proc = subprocess.Popen([sys.executable, '-m', 'jupyterlab', '--no-browser', '--ServerApp.ip=127.0.0.1',
                             f'--ServerApp.port={port}', f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={tmp_path}',
                             '--LabApp.news_url=', '--LabApp.expose_app_in_browser=True', '--LabApp.extension_manager=readonly', '--ServerApp.port_retries=0', '--allow-root'],
                            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f'http://127.0.0.1:{port}'
    for _ in range(120):
        try: urllib.request.urlopen(f'{url}/api/status?token={token}', timeout=1); break
        except OSError: time.sleep(0.5)
    else: proc.terminate(); pytest.fail(f'JupyterLab did not start: {(tmp_path/"lab.log").read_text()[-2000:]}')
    yield f'{url}/lab/tree/form.ipynb?token={token}', tmp_path
    proc.terminate()
    try: proc.wait(20)
    except subprocess.TimeoutExpired: proc.kill()
    log.close()

ROWS_WHOLE = """g => { const r = g.getBoundingClientRect();
    const seen = [...g.children].filter(c => c.offsetParent !== null).map(c => c.getBoundingClientRect())
                                .filter(b => b.bottom > r.top + 1 && b.top < r.bottom - 1);
    return seen.length > 0 && seen.every(b => b.top >= r.top - 1 && b.bottom <= r.bottom + 1); }"""

def _in_view(box, page) -> bool:
    vw, vh = page.viewport_size['width'], page.viewport_size['height']
    return (box is not None and box['x'] >= 0 and box['y'] >= 0 and box['x'] + box['width'] <= vw
            and box['y'] + box['height'] <= vh)

def test_form_in_jupyterlab(browser, lab):
    "The form tutorial's first form at 1280x800, used as a newcomer would; after Run the summary is on screen."
    url, tmp = lab
    page = browser.new_page(viewport={'width': 1280, 'height': 800})   # a laptop screen
    page.goto(url)
    page.wait_for_selector('.jp-Notebook', timeout=60_000)
    try: page.locator('.jp-Dialog button:has-text("Select")').click(timeout=10_000)   # "Select Kernel": the default
    except Exception: pass
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.isEnabled('notebook:run-all-cells')", timeout=60_000)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")   # Run > Run All Cells
    try: page.locator('.jp-toast-button:has-text("No")').click(timeout=3_000)   # Lab's news question
    except Exception: pass
    form = page.locator('.jp-OutputArea-output').filter(has=page.locator('.widget-button:has-text("Test connection")')).first
    form.wait_for(timeout=120_000)
    # fill the first form as a user would: test the endpoint, add the second model, set the limit, run
    form.locator('.widget-button:has-text("Test connection")').first.click()
    form.get_by_text('2 models at').first.wait_for(timeout=30_000)
    form.locator('.widget-button:has-text("Add model")').click()
    form.locator('.widget-button:has-text("Test connection")').nth(1).click()
    form.get_by_text('2 models at').nth(1).wait_for(timeout=30_000)
    form.locator('.widget-dropdown:has(label:has-text("Model")) select').nth(1).select_option('model-b')
    api = form.locator('.widget-toggle-button:has-text("completions")').first
    assert api.evaluate('e => e.scrollWidth <= e.clientWidth'), 'the "completions" button cuts its text'
    assert form.locator('.widget-button:has-text("Code"), .widget-toggle-button:text-is("Code")').count() <= 1
    # the dataset grid shows whole rows, also after a scroll that stops mid-row (it snaps to rows)
    form.locator('.lm-TabBar-tab:has-text("Datasets")').first.click()
    grid = form.locator('.ocnb-grid')
    grid.wait_for()
    assert grid.evaluate(ROWS_WHOLE), 'the dataset grid cuts a row'
    grid.evaluate('g => { g.scrollTop = 41; }')
    page.wait_for_function(ROWS_WHOLE, arg=grid.element_handle(), timeout=10_000)
    form.locator('.lm-TabBar-tab:has-text("Settings")').first.click()
    form.locator('.widget-text:has(label:has-text("Limit")) input').fill('8')
    form.locator('.widget-text:has(label:has-text("Limit")) input').press('Enter')
    form.locator('.lm-TabBar-tab:has-text("Models")').first.click()   # back on the tallest tab, as after testing
    form.locator('.widget-button:has-text("Run")').first.click()
    form.locator('.lm-TabBar-tab:has-text("Summary")').wait_for(timeout=120_000)
    summary = form.locator('.ocnb-table table:has-text("ARC-c")').first
    summary.wait_for()
    assert _in_view(summary.bounding_box(), page), f'summary not on screen after Run: {summary.bounding_box()}'
    text = summary.inner_text()
    assert 'model-a' in text and 'model-b' in text and 'gsm8k' in text, text
    assert 'done: 32 samples' in form.inner_text()            # 8 items x 2 datasets x 2 models
    page.screenshot(path=str(tmp/'form.png'))
    form.locator('.lm-TabBar-tab:has-text("Plots")').click()
    img = form.locator('.widget-image')
    img.wait_for()
    assert img.evaluate('e => e.naturalWidth') > 300
    page.screenshot(path=str(tmp/'form_plots.png'))
    # the form on an empty data folder: its no-data state and the download button are on screen when scrolled to
    nodata = page.locator('.jp-OutputArea-output').filter(has=page.get_by_text('No benchmark data')).first
    nodata.scroll_into_view_if_needed()
    for part in (nodata.get_by_text('No benchmark data').first, nodata.get_by_text('ARC_c · no data').first,
                 nodata.locator('.widget-button:has-text("Download data")')):
        part.wait_for(state='visible', timeout=30_000)
        assert _in_view(part.bounding_box(), page), part
    page.screenshot(path=str(tmp/'form_nodata.png'))
    for name in ('form.png', 'form_plots.png', 'form_nodata.png'): _keep(tmp/name, name)

@pytest.fixture(scope='module')
def docs():
    """The HTML docs built by tools/build_docs.py and served on 127.0.0.1: every page, the index and the form tutorial
    executed (for their widgets), the others as stored (for titles, sidebar and what the pages show)."""
    build = [sys.executable, str(root/'tools'/'build_docs.py'), '--exec', r'^(index|tutorials/form)\.ipynb$']
    r = subprocess.run(build, capture_output=True, text=True, cwd=root)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root/'_docs'))
    handler.log_message = lambda *a: None
    srv = socketserver.TCPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{srv.server_address[1]}'
    srv.shutdown(); srv.server_close()

def test_docs_render_widgets(browser, docs, tmp_path):
    page = browser.new_page(viewport={'width': 1280, 'height': 800})
    external = []
    page.on('request', lambda r: external.append(r.url) if not r.url.startswith((docs, 'data:', 'blob:')) else None)
    page.goto(f'{docs}/tutorials/form.html')
    # the saved widget state is rendered by the local html-manager: real buttons, and the finished run's tabs
    page.locator('.widget-button:has-text("Test connection")').first.wait_for(timeout=30_000)
    assert page.locator('.lm-TabBar-tab:has-text("Summary")').count() >= 1
    assert page.locator('table:has-text("ARC-c")').count() >= 1
    assert not [u for u in external if 'unpkg' in u or 'jsdelivr' in u or 'cdnjs' in u], external
    page.locator('table:has-text("ARC-c")').first.scroll_into_view_if_needed()   # the finished run, its summary
    page.screenshot(path=str(tmp_path/'docs_form.png'))
    _keep(tmp_path/'docs_form.png', 'docs_form.png')
    page.goto(f'{docs}/index.html')
    assert 'ocnb' in page.title() or page.locator('h1:has-text("ocnb")').count()

MACHINERY = ('show_doc(', '#|', 'In [', 'In\xa0[', 'Out[', '{target=')   # directives, calls, prompts, attributes

def _sidebar(page) -> list:
    "The sidebar as [(group, [(href, label), ...]), ...]."
    return page.eval_on_selector_all('nav.ocnb-sidebar section', """ss => ss.map(s => [s.dataset.group,
        [...s.querySelectorAll('a')].map(a => [a.getAttribute('href'), a.textContent])])""")

def test_docs_pages(browser, docs):
    "Every page: titled by its notebook's first heading, one title each, no nbdev machinery, in a grouped sidebar."
    page = browser.new_page(viewport={'width': 1280, 'height': 800})
    page.goto(f'{docs}/index.html')
    side = _sidebar(page)
    assert [g for g, _ in side] == ['Home', 'Tutorials', 'API'], side
    links = [(h, t) for _, items in side for h, t in items]
    built = sorted(p.relative_to(root/'_docs').as_posix() for p in (root/'_docs').rglob('*.html'))
    assert sorted(h for h, _ in links) == built, 'each page once in the sidebar'
    stages = sorted(p.stem for p in (root/'nbs').glob('[0-9]*.ipynb'))   # pipeline order: the notebooks' numbers
    import re
    assert [h for h, _ in side[2][1]] == [re.sub(r'^\d+[a-z]?_', '', s) + '.html' for s in stages]
    assert side[1][1][0][0] == 'tutorials/quickstart.html', side[1]
    for h, label in links:
        assert not re.search(r'[{}`=]|#\|', label), f'raw text in the sidebar: {label!r}'
    titles = []
    for href, label in links:
        page.goto(f'{docs}/{href}')
        h1 = page.locator('h1').first.inner_text().replace('\u00b6', '').strip()
        assert page.title() == h1 == label, (href, page.title(), h1, label)
        text = page.locator('body').inner_text()
        shown = [m for m in MACHINERY if m in text]
        assert not shown, f'{href} shows {shown}'
        assert page.locator('nav.ocnb-sidebar a[aria-current=page]').get_attribute('href').endswith(href.split('/')[-1])
        titles.append(page.title())
    assert len(set(titles)) == len(titles), [t for t in titles if titles.count(t) > 1]
