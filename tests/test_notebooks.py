"Runs every notebook in nbs/ top to bottom, as `nbdev_test` does, one pytest item per notebook."
import os
from pathlib import Path
import pytest

root = Path(__file__).resolve().parents[1]
nbs = sorted(p for p in (root/'nbs').rglob('*.ipynb')
             if not any(part.startswith(('_', '.')) for part in p.relative_to(root/'nbs').parts))

@pytest.mark.parametrize('nb', nbs, ids=[str(p.relative_to(root/'nbs')) for p in nbs])
def test_notebook(nb):
    from nbdev.test import test_nb
    from nbdev.config import get_config
    os.environ['IN_TEST'] = '1'
    flags = get_config(path=root).tst_flags.split()
    ok, _ = test_nb(nb, skip_flags=flags, showerr=True, basepath=root)
    assert ok, f'{nb.name} failed (its traceback is printed above)'
