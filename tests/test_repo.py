"Checks on the repository itself: README is generated from index.ipynb; the runtime package imports no nbdev/fastcore."
import subprocess, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]

def test_readme_is_generated_from_index():
    out = subprocess.run([sys.executable, str(root/'tools'/'make_readme.py'), '--stdout'],
                         capture_output=True, text=True, check=True).stdout
    assert out == (root/'README.md').read_text(), 'README.md is stale: run `python tools/make_readme.py`'

def test_runtime_does_not_import_nbdev_or_fastcore():
    code = "import sys, ocnb, ocnb.cli; bad=[m for m in sys.modules if m.split('.')[0] in ('nbdev','fastcore','execnb')]; print(bad); assert not bad"
    subprocess.run([sys.executable, '-c', code], check=True, cwd=root)

def _pytest(args, cwd, drop=('OCNB_REQUIRE_BROWSER',), **env):
    import os
    e = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run([sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', *args], cwd=cwd,
                          capture_output=True, text=True, env={**e, **env})

def test_tests_stop_with_one_line_without_data(tmp_path):
    "With no OCNB_DATA_DIR, ../shared/data or ./data, the tests stop at once and say where to get the data."
    (tmp_path/'repo'/'tests').mkdir(parents=True)
    (tmp_path/'repo'/'tests'/'conftest.py').write_text((root/'tests'/'conftest.py').read_text())
    (tmp_path/'repo'/'tests'/'test_x.py').write_text('def test_x(): pass\n')
    out = _pytest(['tests'], tmp_path/'repo', drop=('OCNB_DATA_DIR',))
    assert out.returncode == 4 and 'passed' not in out.stdout, out.stdout
    msg = [l for l in (out.stdout + out.stderr).splitlines() if 'OpenCompassData' in l]
    assert len(msg) == 1 and 'no OCNB_DATA_DIR, ../shared/data or ./data' in msg[0] and 'unzip' in msg[0], out.stdout
    (tmp_path/'repo'/'data').mkdir()   # ./data found: the tests run
    assert _pytest(['tests'], tmp_path/'repo', drop=('OCNB_DATA_DIR',)).returncode == 0

def test_missing_browser_fails_under_ci():
    "Under OCNB_REQUIRE_BROWSER=1 (set by .ci/run) a missing Chromium is a failure, not a skip."
    args = ['tests/test_browser.py::test_browser_is_available']
    required = _pytest(args, root, OCNB_REQUIRE_BROWSER='1', OCNB_CHROMIUM='/nonexistent/chromium')
    assert required.returncode == 1 and '/nonexistent/chromium not found' in required.stdout, required.stdout
    optional = _pytest(args, root, OCNB_CHROMIUM='/nonexistent/chromium')
    assert optional.returncode == 0 and 'skipped' in optional.stdout, optional.stdout

def test_ci_installs_chromium_on_its_own():
    "Chromium is never installed in one apt command with npm (which conflicts with a Node.js from elsewhere)."
    lines = [l for l in (root/'.ci'/'run').read_text().splitlines() if 'apt_install' in l and 'chromium' in l]
    assert lines and all('npm' not in l.split('||')[0] for l in lines), lines

def test_library_and_notebooks_in_sync(tmp_path):
    "`nbdev_export` and `nbdev_clean` change nothing (as nbdev's own CI checks): ocnb/ is what the notebooks say."
    import filecmp, shutil
    copy = tmp_path/'repo'
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns('.git', '.venv*', 'node_modules', '_docs', 'outputs',
                                                              '__pycache__', '*.egg-info', '.ipynb_checkpoints'))
    bindir = Path(sys.executable).parent
    for cmd in ('nbdev_export', 'nbdev_clean'):
        subprocess.run([str(bindir/cmd)], cwd=copy, check=True, capture_output=True)
    changed = []
    for sub, pat in (('ocnb', '*.py'), ('nbs', '**/*.ipynb')):
        for f in sorted((root/sub).glob(pat)):
            if '.ipynb_checkpoints' in f.parts: continue
            g = copy/f.relative_to(root)
            if not g.exists() or not filecmp.cmp(f, g, shallow=False): changed.append(str(f.relative_to(root)))
    new = [str(g.relative_to(copy)) for g in sorted((copy/'ocnb').glob('*.py')) if not (root/g.relative_to(copy)).exists()]
    assert not changed and not new, f'run `nbdev_export && nbdev_clean`: they would change {changed + new}'
