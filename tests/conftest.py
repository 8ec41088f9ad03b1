import os
from pathlib import Path

root = Path(__file__).resolve().parents[1]
shared = root.parent/'shared'/'data'
if 'OCNB_DATA_DIR' not in os.environ and shared.exists(): os.environ['OCNB_DATA_DIR'] = str(shared)
