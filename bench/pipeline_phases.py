#!/usr/bin/env python
"""Where the time of one `ocnb.evaluate` call goes at zero server latency, phase by phase.

Runs the `pipeline.py` workload (mmlu + ARC_e, limit 34: 1972 samples) three times in one process against a local
server (`fast_server.py`) with no latency. Run 1 is cold (data files not read yet), runs 2 and 3 are warm. The
pipeline's own steps are timed by wrapping the module functions that do them. The time not in any listed phase is
the requests themselves: the client, aiohttp and asyncio.

    python bench/pipeline_phases.py
Needs the OpenCompass data (OCNB_DATA_DIR, or ../shared/data beside the repo)."""
import collections, os, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import serve

ROOT = Path(__file__).resolve().parents[1]
if 'OCNB_DATA_DIR' not in os.environ and (ROOT.parent/'shared'/'data').exists():
    os.environ['OCNB_DATA_DIR'] = str(ROOT.parent/'shared'/'data')

import pandas, aiohttp  # noqa: F401,E402  loaded before the clock, as in a notebook session
import ocnb.pipeline as P, ocnb.datasets as D  # noqa: E402
try: import ocnb.plan as PL  # noqa: E402  (the planning stage, since issue 10's second split)
except ImportError: PL = None

SPENT = collections.Counter()
# Nested phases: load_subset, load_shots and render_turns are inside plan_subset.
PHASES = [(PL or P, 'plan_subset'), (D, 'load_subset'), (D, 'load_shots'), (D, 'render_turns'), (PL or P, 'request_body'),
          (PL or P, 'encode_bodies'), (P, 'score_rows'), (P, 'part_columns'), (P, 'write_predictions'), (P, 'collect'),
          (P, 'write_run')]

def timed(mod, name):
    "Replace `mod.name` (and the pipeline's imported copy) by a wrapper adding its wall time to SPENT[name]."
    f = getattr(mod, name, None)
    if f is None: return   # an older version without this step (to compare commits)
    def wrapper(*a, **k):
        t = time.perf_counter()
        try: return f(*a, **k)
        finally: SPENT[name] += time.perf_counter() - t
    setattr(mod, name, wrapper)
    for m in (P, PL):   # the copies the pipeline and the planning stage imported
        if m is not None and hasattr(m, name): setattr(m, name, wrapper)

def main():
    for mod, name in PHASES: timed(mod, name)
    runs = []
    with serve('--latency', 0, '--answer', 'A', server='fast') as srv:
        model = {'path': 'test-model', 'openai_api_base': srv.base_url}
        for _ in range(3):
            SPENT.clear()
            t0, c0 = time.perf_counter(), time.process_time()
            r = P.evaluate(model, ['mmlu', 'ARC_e'], limit=34, work_dir=tempfile.mkdtemp(), progress=False,
                           concurrency=64)
            runs.append((time.perf_counter() - t0, time.process_time() - c0, len(r.samples), dict(SPENT)))
    print(f"{'phase (s)':>18} {'run 1 (cold)':>13} {'run 2':>8} {'run 3':>8}")
    for _, name in PHASES:
        print(f'{name:>18} ' + ' '.join(f'{x[3].get(name, 0):{w}.3f}' for x, w in zip(runs, (13, 8, 8))))
    print(f"{'wall':>18} " + ' '.join(f'{x[0]:{w}.3f}' for x, w in zip(runs, (13, 8, 8))))
    print(f"{'CPU':>18} " + ' '.join(f'{x[1]:{w}.3f}' for x, w in zip(runs, (13, 8, 8))))
    print(f"{'samples':>18} " + ' '.join(f'{x[2]:{w}d}' for x, w in zip(runs, (13, 8, 8))))

if __name__ == '__main__': main()
