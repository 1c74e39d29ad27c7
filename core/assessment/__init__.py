"""Assessment (考核): rubrics, findings, scoring, public evaluation and the reports.

- :mod:`.rubric` loads the rubric (plugin hook or a TOML file named in ``gongkai.toml``);
- :mod:`.findings` reads the findings files (TOML or CSV) an assessor fills in;
- :mod:`.from_records` counts the findings the database can prove itself;
- :mod:`.scoring` turns findings into points, totals, composite, grade and weighted share;
- :mod:`.evaluation` keeps the public-evaluation (社会评议) tallies;
- :mod:`.reports` writes the per-unit report and the ranking workbook.
"""

KINDS: dict[str, str] = {
    "self": "自评",
    "routine": "平时考核",
    "peer": "互评",
    "year_end": "年终考核",
}
"""The assessment kinds a findings file may name, with their Chinese labels."""
