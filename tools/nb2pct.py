#!/usr/bin/env python
"Inverse of pct2nb: write a notebook's cells as a percent-format .py file (outputs dropped). Usage: nb2pct.py nb.ipynb out.py"
import json, sys
nb = json.load(open(sys.argv[1]))
out = []
for c in nb['cells']:
    src = ''.join(c['source'])
    if c['cell_type'] == 'markdown':
        out.append('# %% [markdown]\n' + '\n'.join(('# ' + l) if l else '#' for l in src.split('\n')))
    else: out.append('# %%\n' + src)
open(sys.argv[2], 'w').write('\n\n'.join(out) + '\n')
