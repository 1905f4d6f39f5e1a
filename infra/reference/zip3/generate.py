#!/usr/bin/env python3
"""Derives infra/reference/zip3/zip3.csv (zip3,state) from the ZIP data bundled in PyPI `zipcodes`.

Source: the PyPI package `zipcodes` 1.3.0 (MIT, https://github.com/seanpianka/zipcodes), whose
pure-Python wheel ships `zipcodes/zips.json.bz2`: one record per five-digit ZIP code with its
`state` (USPS), `active` and `zip_code_type`. Later versions (2.x, 3.x) keep the data inside a
compiled extension, so 1.3.0 is pinned: the wheel's SHA-256 is checked before anything is read.

Rule: the state of a three-digit prefix is the state of most of its ZIP codes (active or not,
every type: standard, PO box, unique). A tie goes to the alphabetically first state. Prefixes
whose majority is not a USPS code the schemas accept (the military AA/AE/AP and the freely
associated FM/MH/PW) are left out: stateFromZip returns null for them. Prefixes shared by
several states are printed to stderr; README.md lists them.

Usage (downloads the wheel with pip into a temporary folder, never into the project):
    python3 infra/reference/zip3/generate.py             # writes zip3.csv beside this script
    python3 infra/reference/zip3/generate.py --wheel /tmp/zipcodes-1.3.0-py2.py3-none-any.whl
"""
import argparse
import bz2
import collections
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "zipcodes"
VERSION = "1.3.0"
WHEEL = "zipcodes-1.3.0-py2.py3-none-any.whl"
WHEEL_SHA256 = "0da407f1c7e7c0bb93fc91da00c4bb95dc88b545c2ff04febdff5168e9ab8b2f"

# schemas/geo.ts US_STATE_CODES: the 50 states, DC and the five inhabited territories.
US_STATE_CODES = set(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP".split()
)


def download_wheel(folder):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--dest", folder, f"{PACKAGE}=={VERSION}"],
        check=True,
    )
    return os.path.join(folder, WHEEL)


def read_zips(wheel_path):
    data = open(wheel_path, "rb").read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel_path}: sha256 {digest} is not the pinned {WHEEL_SHA256}")
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        return json.loads(bz2.decompress(wheel.read("zipcodes/zips.json.bz2")))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", help=f"an already downloaded {WHEEL}")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "zip3.csv"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zip3-") as tmp:
        zips = read_zips(args.wheel or download_wheel(tmp))

    by_prefix = collections.defaultdict(collections.Counter)
    for z in zips:
        by_prefix[z["zip_code"][:3]][z["state"]] += 1

    rows = []
    for prefix in sorted(by_prefix):
        counts = by_prefix[prefix]
        state = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        if len(counts) > 1:
            print(f"{prefix}: {dict(sorted(counts.items()))} -> {state}", file=sys.stderr)
        if state not in US_STATE_CODES:
            print(f"{prefix}: {state} is not a state code of schemas/geo.ts: left out", file=sys.stderr)
            continue
        rows.append(f"{prefix},{state}\n")

    with open(args.out, "w", newline="") as out:
        out.write("zip3,state\n")
        out.writelines(rows)
    print(f"{args.out}: {len(rows)} prefixes from {len(zips)} ZIP codes ({PACKAGE} {VERSION})", file=sys.stderr)


if __name__ == "__main__":
    main()
