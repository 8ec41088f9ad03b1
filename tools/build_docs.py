#!/usr/bin/env python
"""Build the HTML docs offline into _docs/ (no Quarto, no CDN).

1. Execute every notebook in nbs/ (skipping names starting with _ or .) in its own folder, keeping widget state.
2. nbdev's `proc_nbs` applies the directives (hide, show_doc, ...) to the executed copies, into _proc/.
3. nbconvert renders each to HTML; the widgets' saved state is rendered by @jupyter-widgets/html-manager
   installed with npm in tools/docs/ (copied to _docs/_static/), with require.js from the same place.

Usage: python tools/build_docs.py [--only NAME_REGEX] [--no-exec | --exec NAME_REGEX]"""
import argparse, os, re, shutil, subprocess, sys, html
from pathlib import Path

root = Path(__file__).resolve().parents[1]
tooling = root/'tools'/'docs'
out, build = root/'_docs', root/'_build'

def notebooks(only=None):
    "Source notebooks, as nbdev_test finds them."
    nbs = root/'nbs'
    return sorted(p for p in nbs.rglob('*.ipynb')
                  if not any(s.startswith(('_', '.')) for s in p.relative_to(nbs).parts)
                  and (only is None or re.search(only, str(p.relative_to(nbs)))))

def npm_assets() -> dict:
    "Paths of the widget manager's dist folder and require.js, installing them with npm if needed."
    hm, rq = tooling/'node_modules'/'@jupyter-widgets'/'html-manager'/'dist', tooling/'node_modules'/'requirejs'/'require.js'
    if not (hm/'embed-amd.js').exists() or not rq.exists():
        if not shutil.which('npm'): sys.exit('npm is needed to install the widget manager (apt-get install -y npm)')
        cmd = ['npm', 'ci' if (tooling/'package-lock.json').exists() else 'install', '--no-audit', '--no-fund']
        subprocess.run(cmd, cwd=tooling, check=True)
    return {'html-manager': hm, 'require.js': rq}

def _skipped(source: str) -> bool:
    "Cells nbdev_test does not run: `#| eval: false`, or flagged with one of settings.ini's tst_flags."
    flags = {'eval: false'} | set(_tst_flags())
    return any(l.strip().startswith('#|') and l.strip()[2:].strip() in flags for l in source.splitlines())

def _tst_flags():
    import configparser
    cp = configparser.ConfigParser(); cp.read(root/'settings.ini')
    return cp['DEFAULT'].get('tst_flags', 'notest').split()

def execute(src: Path, dst: Path) -> str:
    "Run `src` top to bottom in its own folder and write it to `dst`; returns the kernel used."
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor, CellExecutionError
    dst.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(src, as_version=4)
    skip = [c for c in nb.cells if c.cell_type == 'code' and _skipped(c.source)]
    for c in skip: c.cell_type = 'raw'; c.pop('outputs', None); c.pop('execution_count', None)
    ep = ExecutePreprocessor(timeout=900, kernel_name='python3', store_widget_state=True)
    try:
        ep.preprocess(nb, {'metadata': {'path': str(src.parent)}})
        for c in skip: c.cell_type = 'code'; c.outputs = []; c.execution_count = None
        nbformat.write(nb, dst)
        return 'ipykernel'
    except CellExecutionError as e:
        # A Jupyter kernel runs cells inside an event loop; a few test cells (asyncio.run) only run where nbdev_test runs
        # them, in execnb's shell. Render those notebooks from that shell (their widgets then have no saved state).
        first = re.sub(r'\x1b\[[0-9;]*m', '', str(e).strip().splitlines()[-1])[:200]
        print(f'  {src.name}: fails in a Jupyter kernel ({first}); executing it as nbdev_test does', flush=True)
    from execnb.shell import CaptureShell
    from execnb.nbio import read_nb, write_nb
    nb, here = read_nb(src), os.getcwd()
    os.chdir(src.parent)
    try: CaptureShell().run_all(nb, exc_stop=True, preproc=lambda c: _skipped(c.source))
    finally: os.chdir(here)
    write_nb(nb, dst)
    return 'execnb'

def _only_pure_imports():
    """nbdev's show_doc step re-runs export cells and every cell with an import in it, even one that also uses names
    defined elsewhere (its FAQ warns about this). The notebooks here are already executed, so run only cells whose
    statements are all imports, besides exports and show_doc cells. Runs in this process (proc_nbs with n_workers=0)."""
    import ast, nbdev.processors as P
    orig = P._do_eval
    def do_eval(cell):
        trees = cell.parsed_() if cell.cell_type == 'code' and cell.source else None
        if trees and P._ast_contains(trees, (ast.Import, ast.ImportFrom)) and not cell.directives_.keys() & {'export', 'exports', 'exporti', 'exec_doc'}:
            return all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in trees)
        return orig(cell)
    P._do_eval = do_eval

def page_name(rel: Path) -> Path:
    "`05_metrics.ipynb` -> `metrics.html` (the number orders the sidebar; nbdev drops it from URLs)."
    return rel.with_name(re.sub(r'^\d+[a-z]?_', '', rel.stem) + '.html')

# the tutorials in a newcomer's order; others follow by name
TUTORIALS = ('quickstart', 'form', 'compare', 'own_dataset', 'offline_data', 'local_model', 'reasoning_models')

def plain(title: str) -> str:
    "A title as plain text: no markdown code marks or emphasis."
    return re.sub(r'[`*]', '', title).strip()

def sidebar_groups(pages) -> list:
    """`[(group, [(page, title), ...]), ...]`: the home page, the tutorials (a newcomer's order, then the rest by name)
    and the API stages in pipeline order (the notebooks' numbers); each page once."""
    seen, home, tuts, api = set(), [], [], []
    for page, title, src in pages:
        if page in seen: continue
        seen.add(page)
        group = home if page.as_posix() == 'index.html' else tuts if 'tutorials' in page.parts else api
        group.append((page, title, src))
    rank = lambda p: (TUTORIALS.index(p[0].stem) if p[0].stem in TUTORIALS else len(TUTORIALS), p[0].stem)
    tuts.sort(key=rank); api.sort(key=lambda p: p[2].as_posix())   # 05a_sandbox after 05_metrics, as in the stage table
    groups = [('Home', home), ('Tutorials', tuts), ('API', api)]
    return [(g, [(p, t) for p, t, _ in items]) for g, items in groups if items]

PAGE_CSS = """<style>
nav.ocnb-sidebar{position:fixed;top:0;left:0;bottom:0;width:230px;overflow-y:auto;padding:12px 10px;
 box-sizing:border-box;border-right:1px solid #ddd;background:#fafafa;font-family:sans-serif;font-size:13px;
 line-height:1.5;z-index:10}
nav.ocnb-sidebar h2{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#666;margin:14px 0 4px}
nav.ocnb-sidebar a{display:block;color:#1a5fb4;text-decoration:none;padding:1px 4px;border-radius:3px}
nav.ocnb-sidebar a[aria-current=page]{background:#e3ecf7;font-weight:bold}
body[data-ocnb-page]{padding-left:250px!important}
.jupyter-widgets{font-family:system-ui,'Helvetica Neue',Arial,'Noto Sans','Noto Sans CJK SC',sans-serif}
.jupyter-widgets pre,.jupyter-widgets code{font-family:ui-monospace,'DejaVu Sans Mono',monospace}
</style>"""

def nav(pages, here: Path) -> str:
    "The sidebar of page `here`: its groups, each a heading and links; the current page marked."
    up = '../' * (len(here.parts) - 1)
    out = []
    for group, items in sidebar_groups(pages):
        links = ''.join(f"<a href='{up}{p.as_posix()}'{' aria-current=page' if p == here else ''}>{html.escape(t)}</a>"
                        for p, t in items)
        out.append(f"<section data-group='{html.escape(group)}'><h2>{html.escape(group)}</h2>{links}</section>")
    return f"{PAGE_CSS}<nav class='ocnb-sidebar'>{''.join(out)}</nav>"

def frontmatter(nb) -> dict:
    "The YAML front matter `proc_nbs` makes of a notebook's title cell (title, description), as a dict."
    import yaml
    c = nb.cells[0] if nb.cells else None
    if c is None or c.cell_type != 'raw' or not c.source.startswith('---'): return {}
    return yaml.safe_load(c.source.strip().strip('-')) or {}

def title_cell(nb):
    "Replace the front matter (meant for Quarto) by a title and a subtitle, as Quarto would render them."
    import nbformat
    fm = frontmatter(nb)
    if not fm: return nb
    md = f"# {fm.get('title', 'ocnb')}" + (f"\n\n> {fm['description']}" if fm.get('description') else '')
    nb.cells[0] = nbformat.v4.new_markdown_cell(md)
    return nb

def _directives(source: str) -> dict:
    "The cell's leading `#| key: value` lines as a dict (`#| hide` gives {'hide': ''})."
    d = {}
    for line in source.splitlines():
        if not line.strip(): continue
        if not line.lstrip().startswith('#|'): break
        k, _, v = line.lstrip()[2:].partition(':')
        d[k.strip()] = v.strip()
    return d

_LINK_ATTRS = re.compile(r'\[([^\]]*)\]\(([^)\s]*)\)\{([^}]*)\}')   # [text](url){target="_blank" style="..."}

def _link_attrs(md: str) -> str:
    "Pandoc's link attributes, which only Quarto reads, as HTML links."
    return _LINK_ATTRS.sub(lambda m: f'<a href="{m.group(2)}" {m.group(3)}>{m.group(1)}</a>', md)

def quarto_cells(nb):
    """Do what Quarto does with nbdev's cell directives, since nbconvert shows them as code: `include: false` and
    `hide` drop a cell, `echo: false` its code, `output: false` its outputs; the `#|` lines themselves are not shown,
    and link attributes in Markdown outputs (show_doc's `{target="_blank" ...}`) become HTML."""
    cells = []
    for c in nb.cells:
        if c.cell_type == 'code':
            d = _directives(c.source)
            if d.get('include') == 'false' or 'hide' in d: continue
            c.source = '\n'.join(l for l in c.source.splitlines() if not l.lstrip().startswith('#|')).strip('\n')
            if d.get('output') == 'false': c.outputs = []
            if d.get('echo') == 'false' or not c.source.strip():
                c.metadata.setdefault('transient', {})['remove_source'] = True
            if not c.source.strip() and not c.outputs: continue
            for o in c.outputs:
                md = o.get('data', {}).get('text/markdown')
                if md: o['data']['text/markdown'] = _link_attrs(md)
        elif c.cell_type == 'markdown': c.source = _link_attrs(c.source)
        cells.append(c)
    nb.cells = cells
    return nb

def render(procs, assets):
    "HTML for each processed notebook, with the local widget manager and require.js."
    import nbformat
    from nbconvert import HTMLExporter
    if out.exists(): shutil.rmtree(out)
    static = out/'_static'
    shutil.copytree(assets['html-manager'], static/'html-manager')
    shutil.copy(assets['require.js'], static/'require.js')
    if (root/'docs').exists(): shutil.copytree(root/'docs', out/'docs')
    nbs = {rel: nbformat.read(p, as_version=4) for rel, p in procs}
    pages = [(page_name(rel), plain(frontmatter(nb).get('title', 'ocnb')), rel) for rel, nb in nbs.items()]
    for rel, nb in nbs.items():
        page = page_name(rel)
        up = '../' * (len(page.parts) - 1)
        ex = HTMLExporter(template_name='lab', require_js_url=f'{up}_static/require.js',
                          widget_renderer_url=f'{up}_static/html-manager/embed-amd.js', mathjax_url='',
                          exclude_input_prompt=True, exclude_output_prompt=True)
        nb.metadata['title'] = plain(frontmatter(nb).get('title', 'ocnb'))   # the page's <title>
        body, _ = ex.from_notebook_node(quarto_cells(title_cell(nb)))
        body = body.replace('<body', '<body data-ocnb-page', 1)
        body = re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + nav(pages, page), body, count=1)
        dst = out/page
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(body)
    fonts = [f for f in assets['html-manager'].iterdir() if f.suffix in ('.woff2', '.woff', '.ttf', '.eot', '.svg')]
    for d in {page_name(rel).parent for rel in nbs}:   # the manager looks for its icon fonts beside the page
        (out/d/'@jupyter-widgets').mkdir(parents=True, exist_ok=True)
        for f in fonts: shutil.copy(f, out/d/'@jupyter-widgets'/f.name)
    return [out/page_name(rel) for rel in nbs]

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--only', help='regex of notebook paths (relative to nbs/) to build')
    ap.add_argument('--no-exec', action='store_true', help='render the notebooks as stored, without executing them')
    ap.add_argument('--exec', dest='exec_only', metavar='NAME_REGEX',
                    help='execute only these notebooks (regex of paths relative to nbs/); render the others as stored')
    a = ap.parse_args(argv)
    shared = root.parent/'shared'/'data'
    if 'OCNB_DATA_DIR' not in os.environ and shared.exists(): os.environ['OCNB_DATA_DIR'] = str(shared)
    assets = npm_assets()
    srcs = notebooks(a.only)
    ex_dir = build/'exec'
    if ex_dir.exists(): shutil.rmtree(ex_dir)
    for s in srcs:
        rel = s.relative_to(root/'nbs')
        run = not a.no_exec and (a.exec_only is None or re.search(a.exec_only, rel.as_posix()))
        print(f"{'executing' if run else 'as stored:'} {rel}", flush=True)
        if not run: (ex_dir/rel).parent.mkdir(parents=True, exist_ok=True); shutil.copy(s, ex_dir/rel)
        else: execute(s, ex_dir/rel)
    from nbdev.serve import proc_nbs
    _only_pure_imports()
    proc = Path(proc_nbs(path=str(ex_dir), n_workers=0, force=True))
    procs = [(s.relative_to(root/'nbs'), proc/s.relative_to(root/'nbs')) for s in srcs]
    written = render(procs, assets)
    print(f'wrote {len(written)} pages to {out}')
    return written

if __name__ == '__main__': main()
