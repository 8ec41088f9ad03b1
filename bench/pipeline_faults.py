#!/usr/bin/env python
"""30% injected faults of every kind through the whole `ocnb.evaluate` pipeline: the run completes, every sample
is scored or flagged (none lost), and the score equals the fault-free run's score on the samples that succeeded.

    python bench/pipeline_faults.py                 # 2000 samples, 30% faults, 0.05 s latency
    python bench/pipeline_faults.py --n 500 --rate 0.5
Kinds: 429 with Retry-After, 500, 503, connection reset, malformed JSON, empty body, slow beyond the timeout.
Needs the OpenCompass data (OCNB_DATA_DIR, or ../shared/data beside the repo)."""
import argparse, json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import serve, run_child
from pipeline import workload

def child(url, n, retry, timeout):
    "One evaluate run; prints per-sample predictions, errors and the scores."
    from ocnb.pipeline import evaluate
    model = {'path': 'test-model', 'openai_api_base': url, 'retry': retry, 'timeout': timeout}
    t0 = time.perf_counter()
    rs = [evaluate(model, d, limit=l, work_dir=tempfile.mkdtemp(), progress=False) for d, l in workload(n)]
    s = [r.samples for r in rs]
    na = lambda v: None if v is None or v != v else v   # pandas keeps missing strings as NaN
    print(json.dumps(dict(wall=time.perf_counter() - t0,
                          rows=[[x.subset, int(x.sample_id), na(x.prediction), na(x.error)]
                                for df in s for x in df.itertuples()],
                          scores={x.subset: [x.score, int(x.n), int(x.n_errors)]
                                  for r in rs for x in r.scores.itertuples()})))

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--child', nargs=4, help=argparse.SUPPRESS)
    p.add_argument('--n', type=int, default=2000)
    p.add_argument('--rate', type=float, default=0.3)
    p.add_argument('--latency', type=float, default=0.05)
    p.add_argument('--retry', type=int, default=5, help='attempts per request')
    a = p.parse_args()
    if a.child: return child(a.child[0], int(a.child[1]), int(a.child[2]), float(a.child[3]))
    with serve('--latency', a.latency, '--echo') as clean_srv:
        clean = run_child(__file__, '--child', clean_srv.base_url, a.n, a.retry, 5)
    with serve('--latency', a.latency, '--echo', '--fault-rate', a.rate, '--slow', 3, '--retry-after', 0.2,
               '--seed', 7) as srv:
        faulty = run_child(__file__, '--child', srv.base_url, a.n, a.retry, 1.0)
        counts = srv.counts()
    ok_pred = {(s, i): p for s, i, p, e in clean['rows']}
    rows = faulty['rows']
    succeeded = [(s, i, p) for s, i, p, e in rows if e is None]
    failed = [r for r in rows if r[3] is not None]
    # the score of each subset on its succeeded samples, recomputed from the fault-free run's verdicts
    checks = {'zero samples lost': len(rows) == len(clean['rows']) > 0,
              'every sample scored or flagged': all((e is None) == (p is not None) for s, i, p, e in rows),
              'succeeded samples predicted as in the fault-free run':
                  all(ok_pred[(s, i)] == p for s, i, p in succeeded),
              'n + n_errors = samples, per subset':
                  all(n + k == sum(r[0] == sub for r in rows) for sub, (v, n, k) in faulty['scores'].items()),
              'faults were injected': sum(counts['faults'].values()) > 0}
    print(json.dumps(dict(n=len(rows), fault_rate=a.rate, faults_injected=counts['faults'],
                          requests_sent=counts['total'], failed_finally=len(failed),
                          clean_wall_s=round(clean['wall'], 2), faulty_wall_s=round(faulty['wall'], 2),
                          checks=checks), indent=1))
    bad = [k for k, v in checks.items() if not v]
    print('ALL CHECKS PASSED' if not bad else f'FAILED: {bad}')
    sys.exit(1 if bad else 0)

if __name__ == '__main__': main()
