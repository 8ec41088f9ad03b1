#!/usr/bin/env python
"""Convert a percent-format .py file into an .ipynb (a dev helper for editing notebooks as text).
Cells start with '# %%' (code) or '# %% [markdown]' (markdown; each line's leading '# ' is removed).
Usage: pct2nb.py src.py dst.ipynb"""
import json, sys, hashlib

def convert(text):
    cells, cur, kind = [], [], None
    def flush():
        if kind is None: return
        lines = cur[:]
        while lines and not lines[-1].strip(): lines.pop()
        while lines and not lines[0].strip(): lines.pop(0)
        if kind == 'markdown': lines = [l[2:] if l.startswith('# ') else ('' if l.strip()=='#' else l) for l in lines]
        src = '\n'.join(lines)
        if not src.strip(): return
        cid = hashlib.md5(src.encode()).hexdigest()[:8]
        while any(c['id'] == cid for c in cells): cid = hashlib.md5(cid.encode()).hexdigest()[:8]
        cell = {'cell_type': kind, 'id': cid, 'metadata': {}, 'source': [l + '\n' for l in src.split('\n')]}
        cell['source'][-1] = cell['source'][-1][:-1]
        if kind == 'code': cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    for line in text.split('\n'):
        if line.startswith('# %%'):
            flush(); cur = []; kind = 'markdown' if '[markdown]' in line else 'code'
        else: cur.append(line)
    flush()
    return {'cells': cells, 'metadata': {'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'}},
            'nbformat': 4, 'nbformat_minor': 5}

if __name__ == '__main__':
    src, dst = sys.argv[1:3]
    json.dump(convert(open(src).read()), open(dst, 'w'), indent=1, ensure_ascii=False)
    open(dst, 'a').write('\n')
