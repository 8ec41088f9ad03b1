"Finds the benchmark data for every test: $OCNB_DATA_DIR, else ../shared/data beside the checkout, else ./data."
import os
from pathlib import Path
import pytest

root = Path(__file__).resolve().parents[1]
ARCHIVE = 'https://github.com/open-compass/opencompass/releases/download/0.2.2.rc1/OpenCompassData-complete-20240207.zip'

def find_data_dir() -> Path | None:
    "The first data dir that exists: $OCNB_DATA_DIR, ../shared/data, ./data (None when there is none)."
    env = os.environ.get('OCNB_DATA_DIR')
    if env: return Path(env) if Path(env).is_dir() else None
    for d in (root.parent/'shared'/'data', root/'data'):
        if d.is_dir(): return d
    return None

def pytest_configure(config):
    d = find_data_dir()
    if d is None:
        where = f"OCNB_DATA_DIR={os.environ['OCNB_DATA_DIR']} is not a folder" if os.environ.get('OCNB_DATA_DIR') \
                else 'no OCNB_DATA_DIR, ../shared/data or ./data'
        pytest.exit(f"ocnb tests need OpenCompass's benchmark data ({where}): run `ocnb data download` (the "
                    f"OpenCompassData archive, about 1.7 GB: {ARCHIVE}; by hand, unzip it so that ./data/ARC, "
                    "./data/mmlu, ... exist), or set OCNB_DATA_DIR to that folder", returncode=4)
    os.environ['OCNB_DATA_DIR'] = str(d.resolve())
