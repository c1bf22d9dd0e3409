#!/usr/bin/env python3
"""Checks docs/pack.schema.json against real packs and against packs that
must be refused, so that the schema editors use stays in step with the
format (docs/pack-format.md).

usage: check_schema.py SCHEMA [--optional] FILE... [--scenarios DIR]

Every FILE must exist and validate; a FILE after --optional is skipped with a
notice when it is missing (the shared spec is not part of a fresh clone).
Every .yaml/.yml in DIR and DIR/brands must validate.  Then a set of
deliberately wrong documents, built here, must each be rejected.
Exit status: 0 when everything checked out, 1 otherwise, 2 on bad usage.
"""

import copy
import json
import os
import re
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML speaks YAML 1.1; editors and ipr-drill read `yes`, `on` and
    2026-09-14 as text, so drop those implicit types and refuse duplicate
    keys the way ipr-drill does."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def _mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key %r" % (key,), key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


Yaml12Loader.add_constructor("tag:yaml.org,2002:map", _mapping)


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Yaml12Loader)


def best_error(validator, doc):
    """The most useful error for doc, or None when it validates.  The top
    level is oneOf(pack, brand library): report the branch the document
    was meant to be, not whichever jsonschema finds first."""
    errs = list(validator.iter_errors(doc))
    if not errs:
        return None
    top = [e for e in errs if e.validator == "oneOf" and not e.absolute_path]
    if top and isinstance(doc, dict):
        branch = 1 if set(doc) <= {"format", "brands"} else 0
        mine = [c for c in top[0].context if c.relative_schema_path[0] == branch]
        errs = mine or errs
    e = jsonschema.exceptions.best_match(errs)
    while e.context:
        e = jsonschema.exceptions.best_match(e.context)
    return e


def describe(e):
    msg = e.message if len(e.message) <= 120 else e.message[:117] + "..."
    where = "/".join(str(p) for p in e.absolute_path) or "(top)"
    return "%s: %s" % (where, msg)


# A small valid pack: every negative case below is this pack with one fault.
BASE = {
    "format": 1,
    "id": "mini",
    "title": "Mini",
    "version": 1.0,  # a number where text is expected is accepted as text
    "summary": "One shipment.",
    "settings": {"mode": "exam", "inspections": 1, "shuffle": False},
    "scoring": {"target_hit": 12},
    "indicators": [{"id": "late-filing", "name": "Late", "description": "Filed late."}],
    "brands": [{
        "id": "acme", "name": "Acme", "category": "watches",
        "made_in": ["CH"],
        "alerts": [{"date": "2026-01-31", "text": "Fakes by post."}],
        "products": [{
            "id": "w1", "name": "W1",
            "retail_price": {"amount": 100, "currency": "EUR"},
            "art": "acme/w1.txt",
            "features": [{"id": "logo", "name": "Logo", "genuine": "Raised."}],
        }],
    }],
    "shipments": [{
        "id": "S-1", "mode": "post",
        "declaration": {"consignor": "A", "consignee": "B", "goods": "Watches", "origin": "CN",
                        "value": {"amount": 5, "currency": "USD"}},
        "indicators": [{"id": "undervalued", "why": "Cheap."},
                       {"id": "late-filing", "why": "Late."}],
        "contents": [
            {"product": "acme/w1", "quantity": 2, "observed": {"logo": "Flat."},
             "verdict": "counterfeit", "evidence": ["logo"]},
            {"description": "Plain straps", "quantity": 10, "verdict": "genuine"},
        ],
        "action": "detain",
    }],
    "questions": [{
        "id": "q1", "topic": "trips", "prompt": "Which article?",
        "choices": [{"text": "51", "correct": True}, {"text": "99"}],
    }],
}

LIBRARY = {"format": 1, "brands": copy.deepcopy(BASE["brands"])}


def mutate(doc, path, value=None, delete=False):
    """doc with the value at path replaced (or deleted), and the path: the
    schema's error must point at path or one of its parents."""
    d = copy.deepcopy(doc)
    node = d
    for p in path[:-1]:
        node = node[p]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return d, path


ITEM = ["shipments", 0, "contents", 0]
BAD = [
    ("unknown top-level key", mutate(BASE, ["shipmnets"], [])),
    ("unknown key in an item", mutate(BASE, ITEM + ["evidnce"], ["logo"])),
    ("unknown key in settings", mutate(BASE, ["settings", "modes"], "exam")),
    ("unknown scoring key", mutate(BASE, ["scoring", "target_hits"], 3)),
    ("bad slug: pack id with a space", mutate(BASE, ["id"], "mini pack")),
    ("bad slug: id starting with '-'", mutate(BASE, ["shipments", 0, "id"], "-S1")),
    ("bad slug: 65 bytes", mutate(BASE, ["brands", 0, "id"], "a" * 65)),
    ("missing required key: title", mutate(BASE, ["title"], delete=True)),
    ("missing required key: shipment action", mutate(BASE, ["shipments", 0, "action"], delete=True)),
    ("missing required key: feature genuine",
     mutate(BASE, ["brands", 0, "products", 0, "features", 0, "genuine"], delete=True)),
    ("empty required text", mutate(BASE, ["summary"], "")),
    ("format 2", mutate(BASE, ["format"], 2)),
    ("lower-case country", mutate(BASE, ["shipments", 0, "declaration", "origin"], "cn")),
    ("bad currency", mutate(BASE, ["brands", 0, "products", 0, "retail_price", "currency"], "usd")),
    ("negative amount", mutate(BASE, ["shipments", 0, "declaration", "value", "amount"], -1)),
    ("bad date", mutate(BASE, ["brands", 0, "alerts", 0, "date"], "31/01/2026")),
    ("unknown transport mode", mutate(BASE, ["shipments", 0, "mode"], "ship")),
    ("unknown settings.mode", mutate(BASE, ["settings", "mode"], "test")),
    ("unknown verdict", mutate(BASE, ITEM + ["verdict"], "fake")),
    ("counterfeit item without evidence", mutate(BASE, ITEM + ["evidence"], delete=True)),
    ("genuine item with evidence", mutate(BASE, ITEM + ["verdict"], "genuine")),
    ("unbranded item with observed",
     mutate(BASE, ["shipments", 0, "contents", 1, "observed"], {"logo": "x"})),
    ("item with neither product nor description", mutate(BASE, ITEM + ["product"], delete=True)),
    ("quantity 0", mutate(BASE, ITEM + ["quantity"], 0)),
    ("question without a correct choice",
     mutate(BASE, ["questions", 0, "choices", 0, "correct"], False)),
    ("question with one choice",
     mutate(BASE, ["questions", 0, "choices"], [{"text": "51", "correct": True}])),
    ("'yes' is not a boolean", mutate(BASE, ["settings", "shuffle"], "yes")),
    ("pack indicator shadowing a built-in", mutate(BASE, ["indicators", 0, "id"], "undervalued")),
    ("absolute art path", mutate(BASE, ["brands", 0, "products", 0, "art"], "/etc/passwd")),
    ("art path leaving its folder", mutate(BASE, ["brands", 0, "products", 0, "art"], "../x.txt")),
    ("include leaving the pack's folder", mutate(BASE, ["include"], ["../brands.yaml"])),
    ("control character in text", mutate(BASE, ["summary"], "bell\x07")),
    ("no shipment and no question",
     mutate(mutate(BASE, ["shipments"], delete=True)[0], ["questions"], delete=True)),
    ("brand library with an extra key", mutate(LIBRARY, ["include"], ["more.yaml"])),
    ("brand library without brands", ({"format": 1}, [])),
    ("a list, not a mapping", ([BASE], [])),
]


def on_path(where, path):
    """True when the error points at path, a parent of it, or inside it."""
    n = min(len(where), len(path))
    return where[:n] == path[:n]


def schema_has_descriptions(schema):
    """Every property of every object must carry a description (editors
    show it on hover); a bare $ref counts when its target has one."""
    missing = []
    defs = schema.get("definitions", {})

    def described(s):
        if "description" in s:
            return True
        r = s.get("$ref", "")
        return r.startswith("#/definitions/") and "description" in defs.get(r.split("/")[-1], {})

    def walk(s, where):
        if isinstance(s, dict):
            # Only declarations (closed objects), not if/then conditions.
            props = s.get("properties", {}) if s.get("additionalProperties") is False else {}
            for name, sub in props.items():
                if not described(sub):
                    missing.append(where + "/" + name)
            for k, v in s.items():
                walk(v, where + "/" + k)
        elif isinstance(s, list):
            for i, v in enumerate(s):
                walk(v, "%s/%d" % (where, i))

    walk(schema, "#")
    return missing


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    failures = 0
    checked = 0
    try:
        jsonschema.Draft7Validator.check_schema(schema)
        print("ok   schema is valid JSON Schema draft-07: %s" % argv[1])
    except jsonschema.exceptions.SchemaError as e:
        print("FAIL schema itself is invalid: %s" % e.message)
        return 1
    validator = jsonschema.Draft7Validator(schema)

    missing = schema_has_descriptions(schema)
    if missing:
        failures += 1
        print("FAIL properties without a description: %s" % ", ".join(missing))
    else:
        print("ok   every property has a description")

    files = []
    optional = False
    args = iter(argv[2:])
    for a in args:
        if a == "--optional":
            optional = True
        elif a == "--scenarios":
            d = next(args, None)
            if d is None:
                print("--scenarios needs a folder", file=sys.stderr)
                return 2
            for sub in (d, os.path.join(d, "brands")):
                if os.path.isdir(sub):
                    files += [(os.path.join(sub, n), False) for n in sorted(os.listdir(sub))
                              if n.endswith((".yaml", ".yml"))]
        else:
            files.append((a, optional))
            optional = False

    for path, is_optional in files:
        if not os.path.exists(path):
            if is_optional:
                print("skip %s (not present)" % path)
                continue
            failures += 1
            print("FAIL %s: file not found" % path)
            continue
        try:
            doc = load_yaml(path)
        except (OSError, yaml.YAMLError) as e:
            failures += 1
            print("FAIL %s: cannot read as YAML: %s" % (path, e))
            continue
        err = best_error(validator, doc)
        checked += 1
        if err:
            failures += 1
            print("FAIL %s: rejected by the schema: %s" % (path, describe(err)))
        else:
            print("ok   %s validates" % path)

    for name, doc in (("built-in minimal pack", BASE), ("built-in brand library", LIBRARY)):
        err = best_error(validator, doc)
        checked += 1
        if err:
            failures += 1
            print("FAIL %s rejected: %s" % (name, describe(err)))
        else:
            print("ok   %s validates" % name)

    for name, (doc, path) in BAD:
        err = best_error(validator, doc)
        checked += 1
        if err is None:
            failures += 1
            print("FAIL accepted a wrong document: %s" % name)
        elif not on_path(list(err.absolute_path), list(path)):
            failures += 1
            print("FAIL rejects %s, but for another reason: %s" % (name, describe(err)))
        else:
            print("ok   rejects %s (%s)" % (name, describe(err)))

    print("%d document(s) checked, %d failure(s)" % (checked, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
