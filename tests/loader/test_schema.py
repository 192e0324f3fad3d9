"""The published JSON Schema: valid, shipped, printed, and satisfied by the shipped ledger."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from ledger.cli import main
from ledger.core import model

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "ledger" / "schema.json"


class Yaml12Loader(yaml.SafeLoader):
    """Reads scalars the way yaml-language-server (YAML 1.2 core schema) does:
    dates stay strings and only true/false are booleans."""


Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers
          if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_schema_is_a_valid_draft_7_schema() -> None:
    jsonschema.Draft7Validator.check_schema(schema())


def test_shipped_ledger_validates_against_the_schema() -> None:
    data = yaml.load((ROOT / "predictions.yaml").read_text(encoding="utf-8"), Loader=Yaml12Loader)
    errors = sorted(jsonschema.Draft7Validator(schema()).iter_errors(data), key=str)
    assert errors == []


def test_schema_rejects_what_check_rejects() -> None:
    bad = {"questions": [{"id": "Q1", "title": "t", "criteria": "c", "kind": "binary",
                          "deadline": "2026-02", "colour": "red"}]}
    assert list(jsonschema.Draft7Validator(schema()).iter_errors(bad))


def test_first_line_points_editors_at_the_schema() -> None:
    first = (ROOT / "predictions.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./ledger/schema.json"
    assert (ROOT / "ledger" / "schema.json").is_file()


def test_ledger_schema_prints_the_shipped_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == schema()


@pytest.mark.parametrize(
    ("definition", "record"),
    [("forecaster", model.Forecaster), ("source", model.Source),
     ("question", model.Question), ("forecast", model.Forecast), ("outcome", model.Outcome),
     ("resolver", model.Resolver), ("rule", model.Rule)],
)
def test_every_schema_field_is_a_record_field(definition: str, record: type) -> None:
    fields = {f.name for f in dataclasses.fields(record)}
    assert set(schema()["definitions"][definition]["properties"]) <= fields


def test_resolvers_validate_against_the_schema_as_check_reads_them() -> None:
    text = """questions:
  - id: a
    title: A
    criteria: C
    kind: binary
    deadline: 2027-12-31
    resolver: {source: kalshi, market: KXFOO-27DEC31, crowd: kalshi-crowd}
  - id: b
    title: B
    criteria: C
    kind: binary
    deadline: 2027-12-31
    resolver:
      source: csv
      url: https://fred.stlouisfed.org/graph/fredgraph.csv?id=UNRATE
      column: UNRATE
      rule: {on: 2027-06, op: ">=", value: 5.0}
  - id: c
    title: C
    criteria: C
    kind: date
    deadline: 2027-12-31
    resolver: {source: github-release, repo: foo/foo, tag: "v2.*"}
  - id: d
    title: D
    criteria: C
    kind: binary
    deadline: 2027-12-31
    resolver: {source: metaculus, market: 31337}
"""
    validator = jsonschema.Draft7Validator(schema())
    assert list(validator.iter_errors(yaml.load(text, Loader=Yaml12Loader))) == []
    crowd = ROOT / "tests" / "data" / "crowd.yaml"
    assert list(validator.iter_errors(yaml.load(crowd.read_text("utf-8"), Loader=Yaml12Loader))) == []
    bad = yaml.load(text.replace("source: kalshi", "source: kalshy"), Loader=Yaml12Loader)
    assert list(validator.iter_errors(bad))
