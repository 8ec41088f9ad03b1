#!/usr/bin/env python
"""Checks that `bench/fast_server.py` answers as an OpenAI-compatible endpoint should, so the benchmarks that use it
measure real work: ocnb's client parses its answers, pipelined and split requests are answered in order, latency
holds the answer back, the tallies count what was answered, and what it does not support gets an error status.
Exits non-zero on the first failed check (about 3 s).

    .venv/bin/python bench/check_fast_server.py
"""
import asyncio, json, socket, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import serve

def addr(base_url: str) -> tuple:
    host, port = base_url.split('//')[1].split('/')[0].split(':')
    return host, int(port)

def raw_http(base_url: str, data: bytes, n_responses: int, timeout=10.0) -> list:
    "Send `data` as is on one TCP connection; return the first `n_responses` (status, body) pairs read back."
    out, buf = [], b''
    with socket.create_connection(addr(base_url), timeout=timeout) as s:
        s.sendall(data)
        while len(out) < n_responses:
            while b'\r\n\r\n' not in buf:
                chunk = s.recv(65536)
                if not chunk: return out
                buf += chunk
            head, buf = buf.split(b'\r\n\r\n', 1)
            lines = head.split(b'\r\n')
            n = next(int(l.split(b':')[1]) for l in lines if l.lower().startswith(b'content-length'))
            while len(buf) < n: buf += s.recv(65536)
            out.append((int(lines[0].split()[1]), json.loads(buf[:n]))); buf = buf[n:]
    return out

def post(path: str, body: dict, extra=b'') -> bytes:
    b = json.dumps(body).encode()
    return (f'POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(b)}\r\n'
            .encode() + extra + b'\r\n' + b)

def check(cond, what):
    if not cond: sys.exit(f'FAILED: {what}')
    print(f'ok: {what}')

async def ocnb_generate(url, bodies):
    from ocnb.client import Client
    return await Client(url, concurrency=8).generate(bodies)

def main():
    chat = {'model': 'test-model', 'messages': [{'role': 'user', 'content': 'hi'}], 'max_tokens': 4}
    comp = {'model': 'test-model', 'prompt': 'hi', 'max_tokens': 4}
    with serve('--answer', 'B', server='fast') as srv:
        rs = asyncio.run(ocnb_generate(srv.base_url, [dict(chat, n=i) for i in range(20)] + [comp]))
        check(all(r.ok for r in rs) and [r.text for r in rs] == ['B'] * 21, 'ocnb.client parses chat and completions')
        check([r.finish_reason for r in rs] == ['stop'] * 21, 'finish_reason is stop')
        c = srv.counts()
        check((c['ok'], c['endpoints'], c['distinct']) == (21, {'chat': 20, 'completions': 1}, 21), f'counts {c}')
        three = post('/v1/chat/completions', chat) + post('/v1/completions', comp) + post('/v1/models', {})
        got = raw_http(srv.base_url, three, 3)
        check([g[0] for g in got] == [200, 200, 404], 'pipelined requests answered in order (404 for POST /v1/models)')
        many = b''.join(post('/v1/chat/completions', dict(chat, n=i)) for i in range(3000))
        many = raw_http(srv.base_url, many, 3000)
        check(len(many) == 3000 and all(g[0] == 200 for g in many), '3000 pipelined requests in one write all answered')
        check(got[0][1]['choices'][0]['message']['content'] == 'B' and got[1][1]['choices'][0]['text'] == 'B',
              'chat and completion shapes')
        whole = post('/v1/chat/completions', chat)
        with socket.create_connection(addr(srv.base_url), timeout=10) as s:   # a request split across packets
            s.sendall(whole[:30]); time.sleep(0.2); s.sendall(whole[30:-5]); time.sleep(0.2); s.sendall(whole[-5:])
            check(b'"B"' in s.recv(65536), 'a request split across packets is answered once complete')
        got = raw_http(srv.base_url, post('/v1/chat/completions', chat, b'Connection: close\r\n') + whole, 2)
        check([g[0] for g in got] == [200], 'Connection: close closes after the answer')
        chunked = (b'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'
                   b'2\r\n{}\r\n0\r\n\r\n')
        check([g[0] for g in raw_http(srv.base_url, chunked, 1)] == [411], 'chunked bodies get 411')
        models = raw_http(srv.base_url, b'GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n', 1)[0][1]
        check([m['id'] for m in models['data']] == ['test-model'], 'GET /v1/models lists the model')
        check(srv.reset()['total'] == 0 and srv.counts()['ok'] == 0, 'reset clears the tallies')
    with serve('--latency', 1, server='fast') as srv:   # a reset while a request waits leaves the new tallies alone
        with socket.create_connection(addr(srv.base_url), timeout=10) as s:
            s.sendall(post('/v1/chat/completions', chat))
            deadline = time.monotonic() + 10
            while srv.counts()['in_flight'] != 1 and time.monotonic() < deadline: time.sleep(0.01)
            srv.reset(); s.recv(65536)
        check(srv.counts()['in_flight'] == 0 and srv.counts()['ok'] == 0, 'a reset during the latency')
    with serve('--latency', 0.3, server='fast') as srv:
        t0 = time.perf_counter(); raw_http(srv.base_url, post('/v1/chat/completions', chat), 1)
        check(time.perf_counter() - t0 >= 0.29, 'latency holds the answer back at least that long')
        with socket.create_connection(addr(srv.base_url), timeout=10) as s:
            s.sendall(post('/v1/chat/completions', chat))
            deadline = time.monotonic() + 10
            while srv.counts()['in_flight'] != 1 and time.monotonic() < deadline: time.sleep(0.01)
            check(srv.counts()['in_flight'] == 1, 'a delayed request is in flight')
        deadline = time.monotonic() + 10
        while srv.counts()['in_flight'] and time.monotonic() < deadline: time.sleep(0.01)
        c = srv.counts()
        check(c['in_flight'] == 0 and c['status'].get('cancelled') == 1 and c['answered_twice'] == 0,
              f'a client that leaves is counted cancelled {c}')

if __name__ == '__main__': main()
