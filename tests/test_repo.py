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
