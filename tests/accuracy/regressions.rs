//! Hand-written cases: the examples of issue 3, and every miss or false positive the generated
//! suite exposed, kept so a fix cannot silently come undone. Each must be exact: every labelled
//! key found under its provider, nothing else reported.
//!
//! Keys are templates (`{{alnum:32}}`) expanded at run time; `{K}` in a text is its key.

use super::rng::Rng;
use super::{Case, Expected};

/// A file holding one key of `provider` (the key made from `key_template`, `{K}` in `text`).
fn pos(rng: &mut Rng, why: &str, path: &str, provider: &str, key: &str, text: &str) -> Case {
    let key = rng.fill(key);
    let text = rng.fill(&text.replace("{K}", &key));
    Case::new(
        path.to_string(),
        text,
        vec![Expected::new(provider, &key)],
        why.to_string(),
    )
}

/// A file in which nothing may be reported.
fn neg(rng: &mut Rng, why: &str, path: &str, text: &str) -> Case {
    Case::new(
        path.to_string(),
        rng.fill(text),
        Vec::new(),
        why.to_string(),
    )
}

pub fn cases() -> Vec<Case> {
    let mut rng = Rng::new(0x7265_6772);
    let r = &mut rng;
    let mistral = "{{alnum:20}}{{digit:1}}{{alnum:11}}";
    let cohere = "{{alnum:30}}{{digit:1}}{{alnum:9}}";
    let azure = "{{hex:32}}";
    vec![
        // Issue 3: the places people put prefixless keys.
        pos(
            r,
            "issue: .env",
            ".env",
            "mistral",
            mistral,
            "MISTRAL_API_KEY={K}\n",
        ),
        pos(
            r,
            "issue: export",
            "setup.sh",
            "cohere",
            cohere,
            "export CO_API_KEY=\"{K}\"\n",
        ),
        pos(
            r,
            "issue: Dockerfile ENV",
            "Dockerfile",
            "azure-openai",
            azure,
            "FROM python:3.12\nENV AZURE_OPENAI_API_KEY {K}\n",
        ),
        pos(
            r,
            "issue: k8s env list, value on the next line",
            "k8s/deploy.yaml",
            "mistral",
            mistral,
            "          env:\n            - name: MISTRAL_API_KEY\n              value: \"{K}\"\n",
        ),
        pos(
            r,
            "issue: Mistral(api_key=...)",
            "app.py",
            "mistral",
            mistral,
            "from mistralai import Mistral\n\nclient = Mistral(api_key=\"{K}\")\n",
        ),
        pos(
            r,
            "issue: MistralClient",
            "app.py",
            "mistral",
            mistral,
            "client = MistralClient(api_key='{K}')\n",
        ),
        pos(
            r,
            "issue: cohere.Client",
            "app.py",
            "cohere",
            cohere,
            "co = cohere.Client(\"{K}\")\n",
        ),
        pos(
            r,
            "issue: AzureOpenAI(...) over several lines",
            "app.py",
            "azure-openai",
            azure,
            "client = AzureOpenAI(\n    azure_endpoint=\"https://contoso.openai.azure.com/\",\n    api_version=\"2024-10-21\",\n    api_key=\"{K}\",\n)\n",
        ),
        pos(
            r,
            "issue: curl with api-key header",
            "README.md",
            "azure-openai",
            azure,
            "```sh\ncurl https://contoso.openai.azure.com/openai/models?api-version=2024-10-21 \\\n  -H \"api-key: {K}\"\n```\n",
        ),
        pos(
            r,
            "issue: curl to api.mistral.ai",
            "test.sh",
            "mistral",
            mistral,
            "curl https://api.mistral.ai/v1/models \\\n  -H \"Authorization: Bearer {K}\"\n",
        ),
        pos(
            r,
            "issue: curl to api.cohere.com",
            "test.sh",
            "cohere",
            cohere,
            "curl -X POST https://api.cohere.com/v1/check-api-key -H \"Authorization: Bearer {K}\"\n",
        ),
        pos(
            r,
            "issue: notebook with JSON-escaped source lines",
            "demo.ipynb",
            "mistral",
            mistral,
            "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"import os\\n\", \"os.environ[\\\"MISTRAL_API_KEY\\\"] = \\\"{K}\\\"\\n\"]}]}\n",
        ),
        pos(
            r,
            "issue: DeepSeek without context",
            "config.yaml",
            "deepseek",
            "sk-{{hex:32}}",
            "llm_key: {K}\n",
        ),
        pos(
            r,
            "issue: DeepSeek with context",
            ".env",
            "deepseek",
            "sk-{{hex:32}}",
            "DEEPSEEK_API_KEY={K}\n",
        ),
        // Issue 3: not secrets.
        neg(
            r,
            "issue: your_key_here",
            ".env",
            "MISTRAL_API_KEY=your_key_here\n",
        ),
        neg(
            r,
            "issue: <MISTRAL_API_KEY>",
            ".env",
            "MISTRAL_API_KEY=<MISTRAL_API_KEY>\n",
        ),
        neg(
            r,
            "issue: ${MISTRAL_API_KEY}",
            "compose.yaml",
            "    environment:\n      MISTRAL_API_KEY: ${MISTRAL_API_KEY}\n",
        ),
        neg(
            r,
            "issue: {{ secrets.X }}",
            ".github/workflows/ci.yml",
            "    env:\n      MISTRAL_API_KEY: ${{ secrets.MISTRAL_API_KEY }}\n",
        ),
        neg(
            r,
            "issue: os.environ",
            "app.py",
            "client = Mistral(api_key=os.environ[\"MISTRAL_API_KEY\"])\n",
        ),
        neg(
            r,
            "issue: sk-xxxx",
            ".env",
            "DEEPSEEK_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
        ),
        neg(
            r,
            "issue: sk-...",
            "README.md",
            "Set `OPENAI_API_KEY=sk-...` and `DEEPSEEK_API_KEY=sk-...`.\n",
        ),
        neg(
            r,
            "issue: repeated characters",
            ".env",
            "MISTRAL_API_KEY=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
        ),
        neg(
            r,
            "issue: sequential characters",
            ".env",
            "COHERE_API_KEY=abcdefghijklmnopqrstuvwxyz0123456789ABCD\n",
        ),
        neg(
            r,
            "issue: EXAMPLE inside",
            ".env",
            "MISTRAL_API_KEY=Q7fL{{alnum:10}}EXAMPLE{{alnum:10}}1\n",
        ),
        neg(
            r,
            "issue: dummy inside",
            ".env",
            "COHERE_API_KEY=dummy{{alnum:34}}1\n",
        ),
        neg(
            r,
            "issue: UUID",
            ".env",
            "AZURE_OPENAI_DEPLOYMENT_ID={{hex:8}}-{{hex:4}}-{{hex:4}}-{{hex:4}}-{{hex:12}}\n",
        ),
        neg(
            r,
            "issue: git SHA",
            "CHANGELOG.md",
            "- Mistral client retries ({{hex:40}})\n",
        ),
        neg(
            r,
            "issue: lock-file hash",
            "package-lock.json",
            "\"node_modules/@azure/openai\": {\"integrity\": \"sha512-{{b64:86}}==\", \"shasum\": \"{{hex:32}}\"}\n",
        ),
        neg(
            r,
            "issue: sk-learn",
            "README.md",
            "Baselines use sk-learn (scikit-learn).\n",
        ),
    ]
}
