"""Trunk post_build hook: writes the built file list and a build version into sw.js.

Trunk runs this with TRUNK_STAGING_DIR set to the finished build. The version is a hash of the
file names (which carry content hashes) and of the unhashed files' bytes, so any change to the app
gives the service worker a new version and therefore a new cache.
"""

import hashlib
import json
import os
import re
import sys
from pathlib import Path

staging = Path(os.environ["TRUNK_STAGING_DIR"])
worker = staging / "sw.js"
files = sorted(
    "/" + path.relative_to(staging).as_posix()
    for path in staging.rglob("*")
    if path.is_file() and path != worker
)
digest = hashlib.sha256()
for name in files:
    digest.update(name.encode())
    digest.update((staging / name.lstrip("/")).read_bytes())
version = digest.hexdigest()[:16]

source = worker.read_text(encoding="utf-8")
source, versions = re.subn(r'const BUILD_VERSION = ".*?";', f'const BUILD_VERSION = "{version}";', source)
source, lists = re.subn(r"const PRECACHE = \[.*?\];", f"const PRECACHE = {json.dumps(files)};", source, flags=re.S)
if versions != 1 or lists != 1:
    sys.exit("precache.py: sw.js must contain `const BUILD_VERSION = \"...\";` and `const PRECACHE = [...];`")
worker.write_text(source, encoding="utf-8")
print(f"precache.py: sw.js version {version}, {len(files)} files")
