__version__ = "0.1.0"
# The public API. Light stages are imported here; the others load on first use of one of their names (PEP 562),
# so `import ocnb` stays fast and loads no pandas, aiohttp, matplotlib or ipywidgets. Results need nothing from here:
# `EvalResult.plot`, `.compare` and `.browse` are methods that import their stage when called.
from .config import ModelConfig, ConfigError
from .datasets import Dataset, list_datasets, get_dataset, register
from . import extract as _extract_module
from .datasets import extract as _extract_answer
import types as _types

class _CallableModule(_types.ModuleType):
    "`ocnb.extract` is both the module of extractors and `ocnb.extract(dataset, response)`."
    def __call__(self, dataset, response: str) -> str:
        "The answer the scorer sees in one raw model `response` for `dataset`."
        return _extract_answer(dataset, response)

_extract_module.__class__ = _CallableModule

_lazy = {'evaluate': 'pipeline', 'aevaluate': 'pipeline', 'EvalResult': 'result', 'rescore': 'pipeline',
         'run_task': 'task', 'Summarizer': 'task', 'EvalForm': 'form', 'datasets_info': 'download',
         'TestServer': 'testing', 'Client': 'client', 'compare': 'analysis', 'SampleBrowser': 'browser',
         'filter_samples': 'browser', 'disagreements': 'browser', 'demo_server': 'demo',
         'download_data': 'download', 'data_status': 'download', 'from_hf': 'hf'}

def __getattr__(name):
    if name not in _lazy: raise AttributeError(f"module 'ocnb' has no attribute {name!r}")
    import importlib
    try: obj = getattr(importlib.import_module(f'{__name__}.{_lazy[name]}'), name)
    except (ImportError, AttributeError): raise AttributeError(f"module 'ocnb' has no attribute {name!r}") from None
    globals()[name] = obj
    return obj

def __dir__(): return sorted(list(globals()) + list(_lazy))
