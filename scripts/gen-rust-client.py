#!/usr/bin/env python3
"""Writes crates/client/src/operations/ from openapi/openapi.json: one method of `Client` for
every operation of the document (two for an import: its JSON rows and a CSV body), with the
request and response types of `api-types` and a query struct for each operation that takes
query parameters; one file per tag of the document (`users.rs`, `segments.rs`, …) and a
`mod.rs` that re-exports them. `just clients` runs it; a test fails when the files are stale.

    python3 scripts/gen-rust-client.py [OUT_DIR]
"""

import json
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
doc = json.loads((root / "openapi/openapi.json").read_text())

# Where each schema lives in api-types.
home = {}
for path in sorted((root / "crates/api-types/src").glob("*.rs")):
    module = path.stem
    text = path.read_text()
    # the words api-types re-exports from the vocab crate (`pub use vocab::{ImportKind, ImportMode};`)
    shared = [n.strip() for names in re.findall(r"^pub use vocab::\{?([\w, ]+)\}?;", text, re.M)
              for n in names.split(",") if n.strip()]
    for name in re.findall(r"^pub (?:struct|enum) (\w+)", text, re.M) + shared:
        home[name] = "api_types::Problem" if name == "Problem" else (
            f"api_types::{name}" if module == "lib" else f"api_types::{module}::{name}")


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def camel(name: str) -> str:
    return name[0].upper() + name[1:]


def rust_type(schema: dict) -> str:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name.startswith("Page_"):
            return f"api_types::Page<{rust_type({'$ref': '#/' + name[5:]})}>"
        return home[name]
    if "oneOf" in schema:
        inner = [s for s in schema["oneOf"] if s.get("type") != "null"]
        return rust_type(inner[0])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "array":
        return f"Vec<{rust_type(schema['items'])}>"
    return {"string": "String", "integer": "i64", "boolean": "bool", "number": "f64"}[kind]


def doc_lines(text: str, indent: str) -> str:
    return "".join(f"{indent}/// {line}".rstrip() + "\n" for line in text.strip().splitlines())


methods, queries, count = {}, {}, 0
for path, item in doc["paths"].items():
    for verb, op in item.items():
        count += 1
        tag = snake(op.get("tags", ["other"])[0]).replace("-", "_")
        op_id = op["operationId"]
        name = snake(op_id)
        params = op.get("parameters", [])
        path_args = [p["name"] for p in params if p["in"] == "path"]
        query = [p for p in params if p["in"] == "query"]
        # The one header parameter is Idempotency-Key, which `Client::with_idempotency_key` sends.
        headers = {p["name"] for p in params if p["in"] == "header"}
        assert headers <= {"Idempotency-Key"}, f"{op_id}: header parameters this generator does not know: {headers}"
        summary = op.get("summary", "").strip()
        head = doc_lines(summary, "    ") + f"    ///\n    /// `{verb.upper()} {path}` (`{op_id}`"
        head += ", idempotent with [`Client::with_idempotency_key`]).\n" if headers else ").\n"
        args = "".join(f", {a}: i64" for a in path_args)
        url = 'format!("' + path + '")' if path_args else f'"{path}".to_owned()'
        query_arg, query_value = "", "None::<&()>"
        if query:
            query_name = camel(op_id) + "Query"
            fields = []
            for p in query:
                field = "r#" + p["name"] if p["name"] in ("type", "match") else p["name"]
                desc = doc_lines(p.get("description", ""), "    ")
                fields.append(f'{desc}    #[serde(skip_serializing_if = "Option::is_none")]\n'
                              f"    pub {field}: Option<{rust_type(p['schema'])}>,\n")
            queries.setdefault(tag, []).append(f"/// The query parameters of [`Client::{name}`].\n"
                           f"#[derive(Debug, Clone, Default, Serialize)]\npub struct {query_name} {{\n"
                           + "".join(fields) + "}\n")
            query_arg, query_value = f", query: &{query_name}", "Some(query)"
        ok = next(r for code, r in op["responses"].items() if code.startswith("2"))
        content = ok.get("content", {})
        if "application/json" in content:
            out, parse = rust_type(content["application/json"]["schema"]), "json"
        elif content:
            out, parse = "String", "text"
        else:
            out, parse = "()", "empty"
        bodies = op.get("requestBody", {}).get("content", {})
        variants = []
        if "application/json" in bodies:
            body_type = rust_type(bodies["application/json"]["schema"])
            if body_type.startswith("Vec<"):
                body_type = "[" + body_type[4:-1] + "]"
            variants.append((name, f", body: &{body_type}", "Body::Json(serde_json::to_value(body)?)", ""))
        if "text/csv" in bodies:
            variants.append((name + "_csv", ", csv: impl Into<reqwest::blocking::Body>", "Body::Csv(csv.into())",
                             "    /// The body is a CSV file with a header row.\n"))
        if not variants:
            variants.append((name, "", "Body::None", ""))
        for method, body_arg, body_value, extra in variants:
            methods.setdefault(tag, []).append(
                f"{head}{extra}    pub fn {method}(&self{args}{body_arg}{query_arg}) -> Result<{out}, Error> {{\n"
                f"        let response = self.send(Method::{verb.upper()}, {url}, {query_value}, {body_value})?;\n"
                f"        self.{parse}(response)\n    }}\n")

out = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "crates/client/src/operations"
out.mkdir(parents=True, exist_ok=True)
for old in out.glob("*.rs"):
    old.unlink()
header = """// Generated by scripts/gen-rust-client.py from openapi/openapi.json (`just clients`); do not
// edit.
"""
tags = sorted(set(methods) | set(queries))
for tag in tags:
    uses = "use reqwest::Method;\n" if tag in methods else ""
    uses += "use serde::Serialize;\n" if tag in queries else ""
    text = (header + f"// The operations tagged `{tag}`.\n\n" + uses + "\n"
            + ("use crate::{Body, Client, Error};\n\nimpl Client {\n" + "\n".join(methods[tag]) + "}\n"
               if tag in methods else "")
            + ("\n" + "\n".join(queries[tag]) if tag in queries else ""))
    (out / f"{tag}.rs").write_text(text)
mods = "".join(f"mod {t};\n" for t in tags)
uses = "".join(f"pub use {t}::*;\n" for t in tags if t in queries)
(out / "mod.rs").write_text(header + f"// One method of `Client` per operation ({count} operations), a file per tag.\n\n"
                            + mods + ("\n" + uses if uses else ""))
