"""Validates SARIF files against the SARIF 2.1.0 JSON schema, offline.

Usage: validate_sarif.py SCHEMA FILE...

Formats are checked too (artifact URIs are `uri-reference`), which needs the
rfc3986-validator package; without it the check would silently pass, so this
script refuses to run instead. .ci/run installs both packages.
"""

import json
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("validate_sarif.py: needs the Python package jsonschema (pip install jsonschema)")


def main() -> int:
    schema_path, *files = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    checker = cls.FORMAT_CHECKER
    if "uri-reference" not in checker.checkers:
        sys.exit("validate_sarif.py: cannot check URIs; pip install rfc3986-validator")
    validator = cls(schema, format_checker=checker)
    failed = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in err.absolute_path)
            print(f"{path}: /{where}: {err.message}")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
