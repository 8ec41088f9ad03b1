"""Shared pieces for the benchmarks in bench/: a fake endpoint in its own process, request bodies, trials in child
processes, and table printing. Import it from a script in bench/ (`from common import *`)."""
import json, os, re, signal, statistics, subprocess, sys, time, urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

class ServerProc:
    "A fake endpoint's process (`ocnb.testing` or `bench/fast_server.py`): its base URL, and its request tallies."
    def __init__(self, proc, base_url): self.proc, self.base_url = proc, base_url
    @property
    def admin(self): return self.base_url[:-len('/v1')] + '/_ocnb'
    def counts(self) -> dict:
        with urllib.request.urlopen(self.admin + '/counts', timeout=10) as r: return json.loads(r.read())
    def reset(self) -> dict:
        req = urllib.request.Request(self.admin + '/reset', data=b'', method='POST')
        with urllib.request.urlopen(req, timeout=10) as r: return json.loads(r.read())
    def cpu_s(self) -> float:
        "CPU seconds the server process has used so far (Linux /proc)."
        f = open(f'/proc/{self.proc.pid}/stat').read().rsplit(')', 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK')

SERVERS = {'ocnb': ['-m', 'ocnb.testing'],                          # the test server: faults, echo, auth
           'fast': [str(ROOT / 'bench' / 'fast_server.py')]}         # fixed answers and latency only, much cheaper

@contextmanager
def serve(*args, server='ocnb'):
    "Run a fake endpoint (`SERVERS[server]`, `--port 0 *args`) in a separate process for the duration of the block."
    p = subprocess.Popen([PY, *SERVERS[server], '--port', '0', *map(str, args)], stdout=subprocess.PIPE,
                         text=True, cwd=ROOT)
    try:
        line = p.stdout.readline()
        m = re.search(r'(http://\S+/v1)', line)
        if not m: raise RuntimeError(f'server did not start: {line!r}')
        yield ServerProc(p, m.group(1))
    finally:
        p.send_signal(signal.SIGINT)
        try: p.wait(10)
        except subprocess.TimeoutExpired: p.kill()

def chat_bodies(n: int, model='test-model', tag='q') -> list:
    "`n` distinct short chat requests."
    return [{'model': model, 'messages': [{'role': 'user', 'content': f'{tag} {i}: what is {i} + {i}?'}],
             'temperature': 0, 'max_tokens': 16} for i in range(n)]

def run_child(script, *args, timeout=600) -> dict:
    "Run `script *args` in a fresh interpreter; it prints one JSON object as its last stdout line."
    r = subprocess.run([PY, str(script), *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if r.returncode: raise RuntimeError(f'{script} {args} failed:\n{r.stderr[-3000:]}')
    return json.loads(r.stdout.strip().splitlines()[-1])

def median(xs): return statistics.median(xs)

def table(rows: list, cols: list) -> str:
    "A markdown table of dicts `rows` over `cols`."
    fmt = lambda v: (f'{v:.3g}' if abs(v) < 10 else f'{v:.0f}') if isinstance(v, float) else str(v)
    out = ['| ' + ' | '.join(cols) + ' |', '|' + '---|' * len(cols)]
    out += ['| ' + ' | '.join(fmt(r.get(c, '')) for c in cols) + ' |' for r in rows]
    return '\n'.join(out)

def cpu_and_rss():
    "(process CPU seconds, peak RSS MiB) of this process."
    import resource
    return time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
