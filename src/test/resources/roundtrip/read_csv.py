"""Reads one segfx CSV table with Python's csv module or pandas and prints its rows as JSON.

usage: read_csv.py csv|pandas FILE COLUMN...
Every value is printed as the text the reader returned, so the test compares it with the
Parquet run's value exactly (numbers through their shortest round-trip repr).
"""
import csv
import json
import sys

mode, path, columns = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = []
if mode == "csv":
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append([r[c] for c in columns])
else:
    import pandas

    frame = pandas.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for _, r in frame.iterrows():
        rows.append([r[c] for c in columns])
json.dump(rows, sys.stdout, ensure_ascii=True)
