//! The kinds of file keys end up in, each rendering a generated [`Doc`] in its own syntax.

use super::rng::Rng;
use super::tree::{self, Field, Node, Var, camel, upper_snake};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carrier {
    Env,
    Shell,
    Dockerfile,
    Compose,
    K8s,
    Workflow,
    Json,
    Mcp,
    Yaml,
    Toml,
    Ini,
    Properties,
    Terraform,
    Python,
    JavaScript,
    TypeScript,
    Go,
    Rust,
    Java,
    CurlShell,
    CurlMarkdown,
    Markdown,
    Notebook,
}

pub const ALL: &[Carrier] = &[
    Carrier::Env,
    Carrier::Shell,
    Carrier::Dockerfile,
    Carrier::Compose,
    Carrier::K8s,
    Carrier::Workflow,
    Carrier::Json,
    Carrier::Mcp,
    Carrier::Yaml,
    Carrier::Toml,
    Carrier::Ini,
    Carrier::Properties,
    Carrier::Terraform,
    Carrier::Python,
    Carrier::JavaScript,
    Carrier::TypeScript,
    Carrier::Go,
    Carrier::Rust,
    Carrier::Java,
    Carrier::CurlShell,
    Carrier::CurlMarkdown,
    Carrier::Markdown,
    Carrier::Notebook,
];

/// Language of code snippets a carrier holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Config,
    Python,
    Js,
    Go,
    Rust,
    Java,
    Curl,
}

/// What a generated file holds: configuration, code, and the imports the code needs.
#[derive(Default)]
pub struct Doc {
    pub tree: Vec<Field>,
    pub imports: Vec<String>,
    pub code: Vec<String>,
    /// A heading for Markdown and notebooks (may mention the provider).
    pub title: Option<String>,
}

impl Carrier {
    pub fn lang(self) -> Lang {
        match self {
            Carrier::Python | Carrier::Notebook => Lang::Python,
            Carrier::JavaScript | Carrier::TypeScript => Lang::Js,
            Carrier::Go => Lang::Go,
            Carrier::Rust => Lang::Rust,
            Carrier::Java => Lang::Java,
            Carrier::CurlShell | Carrier::CurlMarkdown => Lang::Curl,
            _ => Lang::Config,
        }
    }

    /// Whether a comment survives rendering (JSON has none).
    pub fn has_comments(self) -> bool {
        !matches!(self, Carrier::Json | Carrier::Mcp)
    }

    /// Whether the tree may hold nested blocks (flat carriers name them `BLOCK_KEY`).
    pub fn nests(self) -> bool {
        matches!(
            self,
            Carrier::Json
                | Carrier::Yaml
                | Carrier::Toml
                | Carrier::Ini
                | Carrier::Properties
                | Carrier::Python
                | Carrier::Notebook
                | Carrier::JavaScript
                | Carrier::TypeScript
        )
    }

    /// Whether names are environment variables (UPPER_SNAKE).
    pub fn env_names(self) -> bool {
        matches!(
            self,
            Carrier::Env
                | Carrier::Shell
                | Carrier::Dockerfile
                | Carrier::Compose
                | Carrier::K8s
                | Carrier::Workflow
                | Carrier::Mcp
                | Carrier::Markdown
                | Carrier::CurlShell
                | Carrier::CurlMarkdown
        )
    }

    pub fn path(self, rng: &mut Rng) -> &'static str {
        let choices: &[&str] = match self {
            Carrier::Env => &[".env", ".env.local", ".env.production", "config/.env"],
            Carrier::Shell => &["scripts/setup.sh", ".envrc", "deploy.sh", ".bashrc"],
            Carrier::Dockerfile => &["Dockerfile", "docker/Dockerfile.api"],
            Carrier::Compose => &["docker-compose.yml", "compose.yaml"],
            Carrier::K8s => &[
                "k8s/deployment.yaml",
                "deploy/secret.yaml",
                "helm/values.yaml",
            ],
            Carrier::Workflow => &[".github/workflows/ci.yml", ".github/workflows/eval.yaml"],
            Carrier::Json => &["config.json", "appsettings.json", "secrets.json"],
            Carrier::Mcp => &[
                ".cursor/mcp.json",
                "claude_desktop_config.json",
                ".vscode/mcp.json",
            ],
            Carrier::Yaml => &["config.yaml", "application.yml", "settings.yml"],
            Carrier::Toml => &["settings.toml", "config.toml", ".streamlit/secrets.toml"],
            Carrier::Ini => &["config.ini", "settings.cfg"],
            Carrier::Properties => &["src/main/resources/application.properties"],
            Carrier::Terraform => &["main.tf", "infra/variables.tf", "terraform.tfvars"],
            Carrier::Python => &["app.py", "src/llm/client.py", "settings.py"],
            Carrier::JavaScript => &["index.js", "src/client.js", "server.mjs"],
            Carrier::TypeScript => &["src/index.ts", "lib/llm.ts"],
            Carrier::Go => &["main.go", "internal/llm/client.go"],
            Carrier::Rust => &["src/main.rs", "src/llm.rs"],
            Carrier::Java => &["src/main/java/com/acme/Main.java"],
            Carrier::CurlShell => &["scripts/test-api.sh", "smoke.sh"],
            Carrier::CurlMarkdown => &["README.md", "docs/api.md"],
            Carrier::Markdown => &["docs/setup.md", "README.md", "NOTES.md"],
            Carrier::Notebook => &["notebooks/demo.ipynb", "eval.ipynb"],
        };
        rng.pick(choices)
    }

    pub fn render(self, rng: &mut Rng, doc: &Doc) -> String {
        let obj = Node::Obj(doc.tree.clone());
        let vars = || -> Vec<Var> { tree::flat(&obj) };
        match self {
            Carrier::Env => env_lines(rng, &vars()),
            Carrier::Shell => {
                let mut out = String::from("#!/usr/bin/env bash\nset -euo pipefail\n\n");
                for v in vars() {
                    comment_line(&mut out, "#", &v.comment);
                    out.push_str(&format!(
                        "export {}={}\n",
                        v.name,
                        shell_quote(rng, &v.value)
                    ));
                }
                out.push_str("\npython -m app.server\n");
                out
            }
            Carrier::Dockerfile => {
                let mut out = String::from(
                    "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n",
                );
                let spaced = rng.chance(30);
                for v in vars() {
                    comment_line(&mut out, "#", &v.comment);
                    let value = single_line(&v.value);
                    if spaced {
                        out.push_str(&format!("ENV {} {value}\n", v.name));
                    } else {
                        out.push_str(&format!("ENV {}={}\n", v.name, quote_maybe(rng, &value)));
                    }
                }
                out.push_str("COPY . .\nCMD [\"python\", \"-m\", \"app\"]\n");
                out
            }
            Carrier::Compose => {
                let mut out = String::from(
                    "services:\n  api:\n    image: acme/api:1.4.2\n    ports:\n      - \"8080:8080\"\n    environment:\n",
                );
                let list = rng.chance(50);
                for v in vars() {
                    comment_line(&mut out, "      #", &v.comment);
                    let value = single_line(&v.value);
                    if list {
                        out.push_str(&format!("      - {}={value}\n", v.name));
                    } else {
                        out.push_str(&format!("      {}: {}\n", v.name, quote_maybe(rng, &value)));
                    }
                }
                out.push_str("  db:\n    image: postgres:16\n");
                out
            }
            Carrier::K8s => k8s(rng, &vars()),
            Carrier::Workflow => {
                let mut out = String::from(
                    "name: CI\non:\n  push:\n    branches: [main]\n  pull_request:\n\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n",
                );
                for v in vars() {
                    comment_line(&mut out, "      #", &v.comment);
                    out.push_str(&format!(
                        "      {}: {}\n",
                        v.name,
                        quote_maybe(rng, &single_line(&v.value))
                    ));
                }
                out.push_str(
                    "    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-python@v5\n        with:\n          python-version: \"3.12\"\n      - run: pip install -r requirements.txt\n      - run: pytest -q\n",
                );
                out
            }
            Carrier::Json => tree::json(&obj, rng.pick(&[2, 2, 4, 0])),
            Carrier::Mcp => {
                let env = Node::Obj(
                    vars()
                        .into_iter()
                        .map(|v| Field::str(&v.name, &v.value))
                        .collect(),
                );
                let server = Node::Obj(vec![
                    Field::str("command", "npx"),
                    Field::new(
                        "args",
                        Node::Arr(vec![tree::s("-y"), tree::s("@acme/llm-mcp-server")]),
                    ),
                    Field::new("env", env),
                ]);
                let root = Node::Obj(vec![Field::new(
                    "mcpServers",
                    Node::Obj(vec![Field::new("llm", server)]),
                )]);
                tree::json(&root, 2)
            }
            Carrier::Yaml => tree::yaml(&obj, rng.pick(&[0, 0, 1, 2])),
            Carrier::Toml => tree::toml(&obj),
            Carrier::Ini => tree::ini(&obj, rng.pick(&["#", ";"])),
            Carrier::Properties => tree::properties(&obj),
            Carrier::Terraform => terraform(rng, &vars()),
            Carrier::Python => python(rng, doc, &obj),
            Carrier::Notebook => {
                let code = python(rng, doc, &obj);
                notebook(rng, doc, &code)
            }
            Carrier::JavaScript | Carrier::TypeScript => js(rng, doc, &obj, self),
            Carrier::Go => go(rng, doc, &vars()),
            Carrier::Rust => rust(rng, doc, &vars()),
            Carrier::Java => java(rng, doc, &vars()),
            Carrier::CurlShell => {
                let mut out =
                    String::from("#!/bin/sh\n# Smoke test of the API credentials.\nset -e\n\n");
                for v in vars() {
                    comment_line(&mut out, "#", &v.comment);
                    out.push_str(&format!("{}={}\n", v.name, shell_quote(rng, &v.value)));
                }
                for c in &doc.code {
                    out.push_str(c);
                    out.push_str("\n\n");
                }
                out
            }
            Carrier::CurlMarkdown => {
                let mut out = format!(
                    "# {}\n\nCheck that your key works:\n\n```bash\n",
                    doc.title.as_deref().unwrap_or("API quick start")
                );
                for v in vars() {
                    comment_line(&mut out, "#", &v.comment);
                    out.push_str(&format!(
                        "export {}={}\n",
                        v.name,
                        shell_quote(rng, &v.value)
                    ));
                }
                for c in &doc.code {
                    out.push_str(c);
                    out.push('\n');
                }
                out.push_str("```\n\nThe response lists the models your key can use.\n");
                out
            }
            Carrier::Markdown => {
                let mut out = format!(
                    "# {}\n\n1. Install the dependencies with `pip install -r requirements.txt`.\n2. Create a `.env` file next to `app.py`:\n\n```env\n",
                    doc.title.as_deref().unwrap_or("Local setup")
                );
                out.push_str(&env_lines(rng, &vars()));
                out.push_str("```\n\n3. Run `python app.py` and open http://localhost:8000.\n");
                out
            }
        }
    }
}

fn comment_line(out: &mut String, marker: &str, c: &Option<String>) {
    if let Some(c) = c {
        out.push_str(&format!("{marker} {c}\n"));
    }
}

/// Multi-line values (PEM keys) written on one line with `\n` escapes, as in `.env` files.
fn single_line(v: &str) -> String {
    v.replace('\n', "\\n")
}

fn quote_maybe(rng: &mut Rng, v: &str) -> String {
    match rng.below(3) {
        0 => v.to_string(),
        1 => format!("\"{v}\""),
        _ => format!("'{v}'"),
    }
}

fn shell_quote(rng: &mut Rng, v: &str) -> String {
    if v.contains('\n') {
        return format!("\"{v}\"");
    }
    quote_maybe(rng, v)
}

fn env_lines(rng: &mut Rng, vars: &[Var]) -> String {
    let mut out = String::new();
    for v in vars {
        comment_line(&mut out, "#", &v.comment);
        let value = if v.value.contains('\n') {
            format!("\"{}\"", single_line(&v.value))
        } else {
            quote_maybe(rng, &v.value)
        };
        out.push_str(&format!("{}={value}\n", v.name));
    }
    out
}

fn k8s(rng: &mut Rng, vars: &[Var]) -> String {
    match rng.below(3) {
        0 => {
            let mut out = String::from(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-credentials\ntype: Opaque\nstringData:\n",
            );
            for v in vars {
                comment_line(&mut out, "  #", &v.comment);
                if v.value.contains('\n') {
                    out.push_str(&format!("  {}: |\n", v.name));
                    for l in v.value.lines() {
                        out.push_str(&format!("    {l}\n"));
                    }
                } else {
                    out.push_str(&format!("  {}: {}\n", v.name, quote_maybe(rng, &v.value)));
                }
            }
            out
        }
        _ => {
            let mut out = String::from(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  labels:\n    app: api\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:2.1.0\n          ports:\n            - containerPort: 8080\n          env:\n",
            );
            for v in vars {
                comment_line(&mut out, "            #", &v.comment);
                out.push_str(&format!("            - name: {}\n", v.name));
                out.push_str(&format!(
                    "              value: {}\n",
                    quote_maybe(rng, &single_line(&v.value))
                ));
            }
            out.push_str(
                "          resources:\n            limits:\n              memory: 512Mi\n",
            );
            out
        }
    }
}

fn terraform(rng: &mut Rng, vars: &[Var]) -> String {
    let lower = |n: &str| n.to_ascii_lowercase();
    let tf_value = |v: &str| {
        if v.contains('\n') {
            format!("<<EOT\n{v}\nEOT")
        } else {
            format!("\"{v}\"")
        }
    };
    match rng.below(4) {
        0 => {
            let mut out = String::new();
            for v in vars {
                comment_line(&mut out, "#", &v.comment);
                out.push_str(&format!(
                    "variable \"{}\" {{\n  type      = string\n  default   = {}\n  sensitive = true\n}}\n\n",
                    lower(&v.name),
                    tf_value(&v.value)
                ));
            }
            out
        }
        1 => {
            let mut out = String::from("locals {\n");
            for v in vars {
                comment_line(&mut out, "  #", &v.comment);
                out.push_str(&format!("  {} = {}\n", lower(&v.name), tf_value(&v.value)));
            }
            out.push_str("}\n");
            out
        }
        2 => {
            let mut out = String::from(
                "resource \"azurerm_linux_function_app\" \"api\" {\n  name                = \"acme-api\"\n  resource_group_name = azurerm_resource_group.main.name\n  location            = \"westeurope\"\n\n  app_settings = {\n",
            );
            for v in vars {
                comment_line(&mut out, "    #", &v.comment);
                out.push_str(&format!(
                    "    \"{}\" = {}\n",
                    v.name,
                    tf_value(&single_line(&v.value))
                ));
            }
            out.push_str("  }\n}\n");
            out
        }
        _ => {
            let mut out = String::from(
                "resource \"aws_lambda_function\" \"api\" {\n  function_name = \"acme-api\"\n  runtime       = \"python3.12\"\n  handler       = \"app.handler\"\n\n  environment {\n    variables = {\n",
            );
            for v in vars {
                comment_line(&mut out, "      #", &v.comment);
                out.push_str(&format!(
                    "      {} = {}\n",
                    v.name,
                    tf_value(&single_line(&v.value))
                ));
            }
            out.push_str("    }\n  }\n}\n");
            out
        }
    }
}

fn code_value(v: &str, lang: Lang) -> String {
    if v.contains('\n') {
        return match lang {
            Lang::Python => format!("\"\"\"{v}\"\"\""),
            Lang::Js | Lang::Go => format!("`{v}`"),
            _ => format!("\"{}\"", v.replace('\n', "\\n")),
        };
    }
    format!("\"{v}\"")
}

fn python(rng: &mut Rng, doc: &Doc, obj: &Node) -> String {
    let mut out = String::from("import os\n");
    for i in &doc.imports {
        out.push_str(i);
        out.push('\n');
    }
    out.push('\n');
    let nested = doc.tree.iter().any(|f| matches!(f.value, Node::Obj(_)));
    if nested {
        out.push_str("CONFIG = ");
        out.push_str(&tree::json(obj, 4));
    } else {
        let environ = rng.chance(30);
        for f in &doc.tree {
            comment_line(&mut out, "#", &f.comment);
            let v = match &f.value {
                Node::Str(v) => code_value(v, Lang::Python),
                Node::Lit(v) => v.clone(),
                other => tree::json(other, 0).trim_end().to_string(),
            };
            if environ && matches!(f.value, Node::Str(_)) {
                out.push_str(&format!("os.environ[\"{}\"] = {v}\n", upper_snake(&f.key)));
            } else {
                out.push_str(&format!("{} = {v}\n", f.key));
            }
        }
    }
    out.push('\n');
    for c in &doc.code {
        out.push_str(c);
        out.push('\n');
    }
    out.push_str(
        "\n\ndef main():\n    print(\"ready\")\n\n\nif __name__ == \"__main__\":\n    main()\n",
    );
    out
}

fn notebook(rng: &mut Rng, doc: &Doc, code: &str) -> String {
    let mut cells: Vec<Node> = Vec::new();
    // nbformat writes a cell's source as a list of lines; some tools write one string.
    let one_string = rng.chance(25);
    let cell = |kind: &str, src: &str, outputs: Option<Vec<Node>>| {
        let source = if one_string {
            Node::Str(src.to_string())
        } else {
            Node::Arr(
                src.split_inclusive('\n')
                    .map(|l| Node::Str(l.to_string()))
                    .collect(),
            )
        };
        let mut f = vec![
            Field::str("cell_type", kind),
            Field::new("metadata", Node::Obj(vec![])),
            Field::new("source", source),
        ];
        if kind == "code" {
            f.insert(1, Field::new("execution_count", Node::Lit("1".into())));
            f.push(Field::new(
                "outputs",
                Node::Arr(outputs.unwrap_or_default()),
            ));
        }
        Node::Obj(f)
    };
    cells.push(cell(
        "markdown",
        &format!("# {}\n", doc.title.as_deref().unwrap_or("Experiments")),
        None,
    ));
    if rng.chance(50) {
        cells.push(cell("code", "!pip install -q python-dotenv pandas", None));
    }
    let code = code.trim_end_matches('\n');
    let stream = Node::Obj(vec![
        Field::str("name", "stdout"),
        Field::str("output_type", "stream"),
        Field::new("text", Node::Arr(vec![tree::s("ready\n")])),
    ]);
    cells.push(cell("code", code, Some(vec![stream])));
    let nb = Node::Obj(vec![
        Field::new("cells", Node::Arr(cells)),
        Field::new(
            "metadata",
            Node::Obj(vec![Field::new(
                "kernelspec",
                Node::Obj(vec![
                    Field::str("display_name", "Python 3"),
                    Field::str("language", "python"),
                    Field::str("name", "python3"),
                ]),
            )]),
        ),
        Field::new("nbformat", Node::Lit("4".into())),
        Field::new("nbformat_minor", Node::Lit("5".into())),
    ]);
    tree::json(&nb, 1)
}

fn js(rng: &mut Rng, doc: &Doc, obj: &Node, carrier: Carrier) -> String {
    let mut out = String::new();
    for i in &doc.imports {
        out.push_str(i);
        out.push('\n');
    }
    out.push('\n');
    let single = rng.chance(40);
    let nested = doc.tree.iter().any(|f| matches!(f.value, Node::Obj(_)));
    let ty = if carrier == Carrier::TypeScript {
        ": string"
    } else {
        ""
    };
    if nested || rng.chance(30) {
        out.push_str("const config = ");
        out.push_str(&tree::js_object(obj, 0, single));
        out.push_str(";\n");
    } else {
        let env = rng.chance(30);
        for f in &doc.tree {
            comment_line(&mut out, "//", &f.comment);
            let v = match &f.value {
                Node::Str(v) if single && !v.contains('\n') => format!("'{v}'"),
                Node::Str(v) => code_value(v, Lang::Js),
                Node::Lit(v) => v.clone(),
                other => tree::js_object(other, 0, single),
            };
            if env && matches!(f.value, Node::Str(_)) {
                out.push_str(&format!("process.env.{} = {v};\n", upper_snake(&f.key)));
            } else {
                out.push_str(&format!("const {}{ty} = {v};\n", camel(&f.key)));
            }
        }
    }
    out.push('\n');
    for c in &doc.code {
        out.push_str(c);
        out.push('\n');
    }
    out.push_str("\nexport async function main() {\n  console.log(\"ready\");\n}\n");
    out
}

fn go(rng: &mut Rng, doc: &Doc, vars: &[Var]) -> String {
    let mut out = String::from("package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n");
    for i in &doc.imports {
        out.push_str(&format!("\t{i}\n"));
    }
    out.push_str(")\n\n");
    let setenv = rng.chance(30);
    if !setenv {
        out.push_str("const (\n");
        for v in vars {
            comment_line(&mut out, "\t//", &v.comment);
            out.push_str(&format!(
                "\t{} = {}\n",
                camel(&v.name),
                code_value(&v.value, Lang::Go)
            ));
        }
        out.push_str(")\n\n");
    }
    out.push_str("func main() {\n");
    if setenv {
        for v in vars {
            comment_line(&mut out, "\t//", &v.comment);
            out.push_str(&format!(
                "\tos.Setenv(\"{}\", {})\n",
                v.name,
                code_value(&v.value, Lang::Go)
            ));
        }
    }
    for c in &doc.code {
        for l in c.lines() {
            out.push_str(&format!("\t{l}\n"));
        }
    }
    out.push_str("\tfmt.Println(\"ready\", os.Getenv(\"PORT\"))\n}\n");
    out
}

fn rust(rng: &mut Rng, doc: &Doc, vars: &[Var]) -> String {
    let mut out = String::new();
    for i in &doc.imports {
        out.push_str(i);
        out.push('\n');
    }
    out.push('\n');
    let setvar = rng.chance(30);
    if !setvar {
        for v in vars {
            comment_line(&mut out, "//", &v.comment);
            out.push_str(&format!(
                "const {}: &str = {};\n",
                v.name,
                code_value(&v.value, Lang::Rust)
            ));
        }
    }
    out.push_str("\nfn main() -> Result<(), Box<dyn std::error::Error>> {\n");
    if setvar {
        for v in vars {
            comment_line(&mut out, "    //", &v.comment);
            out.push_str(&format!(
                "    unsafe {{ std::env::set_var(\"{}\", {}) }};\n",
                v.name,
                code_value(&v.value, Lang::Rust)
            ));
        }
    }
    for c in &doc.code {
        for l in c.lines() {
            out.push_str(&format!("    {l}\n"));
        }
    }
    out.push_str("    println!(\"ready\");\n    Ok(())\n}\n");
    out
}

fn java(rng: &mut Rng, doc: &Doc, vars: &[Var]) -> String {
    let mut out = String::from("package com.acme;\n\n");
    for i in &doc.imports {
        out.push_str(i);
        out.push('\n');
    }
    out.push_str("\npublic class Main {\n");
    let props = rng.chance(30);
    if !props {
        for v in vars {
            comment_line(&mut out, "    //", &v.comment);
            out.push_str(&format!(
                "    private static final String {} = {};\n",
                v.name,
                code_value(&v.value, Lang::Java)
            ));
        }
    }
    out.push_str("\n    public static void main(String[] args) throws Exception {\n");
    if props {
        for v in vars {
            comment_line(&mut out, "        //", &v.comment);
            out.push_str(&format!(
                "        System.setProperty(\"{}\", {});\n",
                tree::kebab(&v.name).replace('-', "."),
                code_value(&v.value, Lang::Java)
            ));
        }
    }
    for c in &doc.code {
        for l in c.lines() {
            out.push_str(&format!("        {l}\n"));
        }
    }
    out.push_str("        System.out.println(\"ready\");\n    }\n}\n");
    out
}
