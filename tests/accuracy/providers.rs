//! What the generator knows about each provider: key shapes (rule-example templates), the names
//! people give the key, and the code, hosts and words that mention the provider.
//!
//! Snippets use `{K}` for the key and `{RES}` for an Azure resource name.

/// One kind of credential of a provider (AWS has two: the key id and the secret key).
pub struct Kind {
    pub template: &'static str,
    /// Environment-variable names (UPPER_SNAKE) this credential is stored under.
    pub envs: &'static [&'static str],
}

pub struct Provider {
    /// keysift's provider id: what a finding reports.
    pub id: &'static str,
    pub kinds: &'static [Kind],
    /// True when the key has no distinctive shape: a labelled positive must then carry a
    /// mention of the provider (a name, host, client or comment) that a reviewer would use.
    pub needs_context: bool,
    /// Config-block name (`mistral:` in YAML, `[mistral]` in TOML).
    pub block: &'static str,
    /// Field names inside that block.
    pub block_keys: &'static [&'static str],
    /// Other fields that mention the provider in their value, e.g. ("model", "mistral-large").
    pub mentions: &'static [(&'static str, &'static str)],
    /// Comment texts that mention the provider.
    pub comments: &'static [&'static str],
    pub py_import: &'static [&'static str],
    pub py: &'static [&'static str],
    pub js: &'static [&'static str],
    pub go: &'static [&'static str],
    pub rust: &'static [&'static str],
    pub java: &'static [&'static str],
    /// Shell commands (curl) with the key in a header; may span lines.
    pub curl: &'static [&'static str],
}

const NONE: &[&str] = &[];

pub static PROVIDERS: &[Provider] = &[
    Provider {
        id: "mistral",
        kinds: &[Kind {
            template: "{{alnum:32}}",
            envs: &[
                "MISTRAL_API_KEY",
                "MISTRAL_API_KEY",
                "MISTRAL_KEY",
                "MISTRALAI_API_KEY",
            ],
        }],
        needs_context: true,
        block: "mistral",
        block_keys: &["api_key", "apiKey", "key", "token"],
        mentions: &[
            ("provider", "mistral"),
            ("model", "mistral-large-latest"),
            ("model", "open-mistral-nemo"),
            ("base_url", "https://api.mistral.ai/v1"),
            ("endpoint", "https://api.mistral.ai"),
        ],
        comments: &[
            "Mistral AI",
            "Mistral API key",
            "key from https://console.mistral.ai/api-keys",
            "mistral: la plateforme key",
        ],
        py_import: &[
            "from mistralai import Mistral",
            "from mistralai.client import MistralClient",
        ],
        py: &[
            "client = Mistral(api_key=\"{K}\")",
            "client = MistralClient(api_key=\"{K}\")",
            "client = Mistral(\n    api_key=\"{K}\",\n    timeout_ms=30000,\n)",
            "llm = ChatMistralAI(\n    model=\"mistral-large-latest\",\n    api_key=\"{K}\",\n    temperature=0,\n)",
            "with Mistral(api_key=\"{K}\") as mistral:\n    res = mistral.models.list()",
        ],
        js: &[
            "const client = new Mistral({ apiKey: \"{K}\" });",
            "const mistral = new Mistral({\n  apiKey: '{K}',\n});",
            "const client = new MistralClient('{K}');",
        ],
        go: &[
            "client := mistral.NewMistralClientDefault(\"{K}\")",
            "client := mistral.NewMistralClient(\"{K}\", mistral.Endpoint, 3, 30*time.Second)",
        ],
        rust: &[
            "let client = Client::new(Some(\"{K}\".to_string()), None, None, None)?; // mistralai_client",
            "let mistral_key = \"{K}\";",
        ],
        java: &[
            "ChatModel model = MistralAiChatModel.builder()\n        .apiKey(\"{K}\")\n        .modelName(\"mistral-small-latest\")\n        .build();",
            "private static final String MISTRAL_API_KEY = \"{K}\";",
        ],
        curl: &[
            "curl https://api.mistral.ai/v1/models -H \"Authorization: Bearer {K}\"",
            "curl --location \"https://api.mistral.ai/v1/chat/completions\" \\\n     --header 'Content-Type: application/json' \\\n     --header 'Accept: application/json' \\\n     --header \"Authorization: Bearer {K}\" \\\n     --data '{\"model\": \"mistral-small-latest\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}'",
        ],
    },
    Provider {
        id: "cohere",
        kinds: &[Kind {
            template: "{{alnum:40}}",
            envs: &[
                "COHERE_API_KEY",
                "CO_API_KEY",
                "COHERE_API_KEY",
                "COHERE_KEY",
            ],
        }],
        needs_context: true,
        block: "cohere",
        block_keys: &["api_key", "apiKey", "token", "key"],
        mentions: &[
            ("provider", "cohere"),
            ("embeddings", "cohere"),
            ("base_url", "https://api.cohere.com"),
            ("endpoint", "https://api.cohere.ai/v1"),
        ],
        comments: &[
            "Cohere",
            "Cohere API key",
            "cohere trial key (dashboard.cohere.com)",
        ],
        py_import: &[
            "import cohere",
            "from langchain_cohere import CohereEmbeddings",
        ],
        py: &[
            "co = cohere.Client(\"{K}\")",
            "co = cohere.ClientV2(api_key=\"{K}\")",
            "co = cohere.Client(\n    api_key=\"{K}\",\n    timeout=60,\n)",
            "embeddings = CohereEmbeddings(model=\"embed-english-v3.0\", cohere_api_key=\"{K}\")",
        ],
        js: &[
            "const cohere = new CohereClient({ token: \"{K}\" });",
            "const cohere = new CohereClientV2({\n  token: '{K}',\n});",
        ],
        go: &["co := cohereclient.NewClient(cohereclient.WithToken(\"{K}\"))"],
        rust: &["let cohere_api_key = \"{K}\";"],
        java: &[
            "Cohere cohere = Cohere.builder().token(\"{K}\").clientName(\"snippet\").build();",
            "private static final String COHERE_API_KEY = \"{K}\";",
        ],
        curl: &[
            "curl --request POST \\\n  --url https://api.cohere.com/v2/chat \\\n  --header 'accept: application/json' \\\n  --header 'content-type: application/json' \\\n  --header \"Authorization: bearer {K}\" \\\n  --data '{\"model\": \"command-r-plus\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}'",
            "curl -X POST https://api.cohere.com/v1/check-api-key -H \"Authorization: Bearer {K}\"",
        ],
    },
    Provider {
        id: "azure-openai",
        kinds: &[
            Kind {
                template: "{{hex:32}}",
                envs: &[
                    "AZURE_OPENAI_API_KEY",
                    "AZURE_OPENAI_API_KEY",
                    "AZURE_OPENAI_KEY",
                    "AZURE_API_KEY",
                ],
            },
            Kind {
                template: "{{alnum:52}}JQQJ99{{alnum:18}}ACOG{{alnum:4}}",
                envs: &["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_KEY"],
            },
        ],
        needs_context: true,
        block: "azure_openai",
        block_keys: &["api_key", "key", "apiKey"],
        mentions: &[
            ("endpoint", "https://{RES}.openai.azure.com/"),
            ("api_type", "azure"),
            ("api_base", "https://{RES}.openai.azure.com"),
            ("provider", "azure"),
        ],
        comments: &[
            "Azure OpenAI",
            "Azure OpenAI resource key (KEY1)",
            "azure openai",
        ],
        py_import: &[
            "from openai import AzureOpenAI",
            "from langchain_openai import AzureChatOpenAI",
        ],
        py: &[
            "client = AzureOpenAI(\n    api_key=\"{K}\",\n    api_version=\"2024-10-21\",\n    azure_endpoint=\"https://{RES}.openai.azure.com/\",\n)",
            "client = AzureOpenAI(azure_endpoint=\"https://{RES}.openai.azure.com\", api_key=\"{K}\", api_version=\"2024-02-01\")",
            "openai.api_type = \"azure\"\nopenai.api_base = \"https://{RES}.openai.azure.com/\"\nopenai.api_version = \"2023-05-15\"\nopenai.api_key = \"{K}\"",
            "llm = AzureChatOpenAI(\n    azure_deployment=\"gpt-4o\",\n    api_version=\"2024-10-21\",\n    api_key=\"{K}\",\n)",
        ],
        js: &[
            "const client = new AzureOpenAI({\n  endpoint: \"https://{RES}.openai.azure.com\",\n  apiKey: \"{K}\",\n  apiVersion: \"2024-10-21\",\n});",
            "const client = new OpenAIClient(\"https://{RES}.openai.azure.com/\", new AzureKeyCredential(\"{K}\"));",
        ],
        go: &[
            "client, err := azopenai.NewClientWithKeyCredential(\"https://{RES}.openai.azure.com/\", azcore.NewKeyCredential(\"{K}\"), nil)",
        ],
        rust: &["let azure_openai_key = \"{K}\";"],
        java: &[
            "OpenAIClient client = new OpenAIClientBuilder()\n        .endpoint(\"https://{RES}.openai.azure.com/\")\n        .credential(new AzureKeyCredential(\"{K}\"))\n        .buildClient();",
        ],
        curl: &[
            "curl \"https://{RES}.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21\" \\\n  -H \"Content-Type: application/json\" \\\n  -H \"api-key: {K}\" \\\n  -d '{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'",
            "curl https://{RES}.openai.azure.com/openai/models?api-version=2024-10-21 -H \"api-key: {K}\"",
        ],
    },
    Provider {
        id: "deepseek",
        kinds: &[Kind {
            template: "sk-{{hex:32}}",
            envs: &["DEEPSEEK_API_KEY", "DEEPSEEK_API_KEY", "DEEPSEEK_KEY"],
        }],
        needs_context: false,
        block: "deepseek",
        block_keys: &["api_key", "apiKey"],
        mentions: &[
            ("base_url", "https://api.deepseek.com"),
            ("model", "deepseek-chat"),
        ],
        comments: &["DeepSeek", "deepseek key"],
        py_import: &["from openai import OpenAI"],
        py: &[
            "client = OpenAI(api_key=\"{K}\", base_url=\"https://api.deepseek.com\")",
            "client = OpenAI(\n    base_url=\"https://api.deepseek.com/v1\",\n    api_key=\"{K}\",\n)",
        ],
        js: &["const openai = new OpenAI({ baseURL: 'https://api.deepseek.com', apiKey: '{K}' });"],
        go: &[
            "client := openai.NewClient(option.WithAPIKey(\"{K}\"), option.WithBaseURL(\"https://api.deepseek.com\"))",
        ],
        rust: &["let deepseek_key = \"{K}\";"],
        java: &["private static final String DEEPSEEK_API_KEY = \"{K}\";"],
        curl: &[
            "curl https://api.deepseek.com/chat/completions \\\n  -H \"Content-Type: application/json\" \\\n  -H \"Authorization: Bearer {K}\" \\\n  -d '{\"model\": \"deepseek-chat\", \"messages\": []}'",
        ],
    },
    Provider {
        id: "openai",
        kinds: &[
            Kind {
                template: "sk-proj-{{b64url:74}}T3BlbkFJ{{b64url:74}}",
                envs: &["OPENAI_API_KEY"],
            },
            Kind {
                template: "sk-proj-{{b64url:58}}T3BlbkFJ{{b64url:58}}",
                envs: &["OPENAI_API_KEY"],
            },
            Kind {
                template: "sk-{{alnum:20}}T3BlbkFJ{{alnum:20}}",
                envs: &["OPENAI_API_KEY", "OPENAI_KEY"],
            },
            Kind {
                template: "sk-svcacct-{{b64url:74}}T3BlbkFJ{{b64url:74}}",
                envs: &["OPENAI_API_KEY"],
            },
            Kind {
                template: "sk-admin-{{b64url:58}}T3BlbkFJ{{b64url:58}}",
                envs: &["OPENAI_ADMIN_KEY"],
            },
        ],
        needs_context: false,
        block: "openai",
        block_keys: &["api_key", "apiKey"],
        mentions: &[("model", "gpt-4o-mini")],
        comments: &["OpenAI"],
        py_import: &["from openai import OpenAI"],
        py: &[
            "client = OpenAI(api_key=\"{K}\")",
            "openai.api_key = \"{K}\"",
        ],
        js: &["const openai = new OpenAI({ apiKey: \"{K}\" });"],
        go: &["client := openai.NewClient(option.WithAPIKey(\"{K}\"))"],
        rust: &["let client = Client::with_config(OpenAIConfig::new().with_api_key(\"{K}\"));"],
        java: &["OpenAIClient client = OpenAIOkHttpClient.builder().apiKey(\"{K}\").build();"],
        curl: &["curl https://api.openai.com/v1/models -H \"Authorization: Bearer {K}\""],
    },
    Provider {
        id: "anthropic",
        kinds: &[
            Kind {
                template: "sk-ant-api03-{{b64url:93}}AA",
                envs: &["ANTHROPIC_API_KEY", "CLAUDE_API_KEY"],
            },
            Kind {
                template: "sk-ant-admin01-{{b64url:93}}AA",
                envs: &["ANTHROPIC_ADMIN_KEY"],
            },
        ],
        needs_context: false,
        block: "anthropic",
        block_keys: &["api_key", "apiKey"],
        mentions: &[("model", "claude-sonnet-4-5")],
        comments: &["Anthropic"],
        py_import: &["import anthropic"],
        py: &["client = anthropic.Anthropic(api_key=\"{K}\")"],
        js: &["const anthropic = new Anthropic({ apiKey: '{K}' });"],
        go: &["client := anthropic.NewClient(option.WithAPIKey(\"{K}\"))"],
        rust: &["let api_key = \"{K}\"; // anthropic"],
        java: &[
            "AnthropicClient client = AnthropicOkHttpClient.builder().apiKey(\"{K}\").build();",
        ],
        curl: &[
            "curl https://api.anthropic.com/v1/models \\\n  -H \"x-api-key: {K}\" \\\n  -H \"anthropic-version: 2023-06-01\"",
        ],
    },
    Provider {
        id: "google",
        kinds: &[
            Kind {
                template: "AIza{{b64url:35}}",
                envs: &["GEMINI_API_KEY", "GOOGLE_API_KEY", "FIREBASE_API_KEY"],
            },
            Kind {
                template: "AQ.Ab8RN6{{b64url:44}}",
                envs: &["GEMINI_API_KEY"],
            },
        ],
        needs_context: false,
        block: "gemini",
        block_keys: &["api_key", "apiKey"],
        mentions: &[("model", "gemini-2.0-flash")],
        comments: &["Gemini"],
        py_import: &["import google.generativeai as genai"],
        py: &[
            "genai.configure(api_key=\"{K}\")",
            "client = genai.Client(api_key=\"{K}\")",
        ],
        js: &["const genAI = new GoogleGenerativeAI(\"{K}\");"],
        go: &["client, err := genai.NewClient(ctx, option.WithAPIKey(\"{K}\"))"],
        rust: &["let gemini_key = \"{K}\";"],
        java: &["Client client = Client.builder().apiKey(\"{K}\").build();"],
        curl: &[
            "curl \"https://generativelanguage.googleapis.com/v1beta/models\" -H \"x-goog-api-key: {K}\"",
        ],
    },
    Provider {
        id: "xai",
        kinds: &[Kind {
            template: "xai-{{alnum:80}}",
            envs: &["XAI_API_KEY", "GROK_API_KEY"],
        }],
        needs_context: false,
        block: "xai",
        block_keys: &["api_key"],
        mentions: &[("model", "grok-4")],
        comments: &["xAI Grok"],
        py_import: &["from xai_sdk import Client"],
        py: &["client = Client(api_key=\"{K}\")"],
        js: &["const xai = createXai({ apiKey: \"{K}\" });"],
        go: &[
            "client := openai.NewClient(option.WithAPIKey(\"{K}\"), option.WithBaseURL(\"https://api.x.ai/v1\"))",
        ],
        rust: &["let xai_api_key = \"{K}\";"],
        java: &["String xaiKey = \"{K}\";"],
        curl: &["curl https://api.x.ai/v1/api-key -H \"Authorization: Bearer {K}\""],
    },
    Provider {
        id: "groq",
        kinds: &[Kind {
            template: "gsk_{{alnum:52}}",
            envs: &["GROQ_API_KEY"],
        }],
        needs_context: false,
        block: "groq",
        block_keys: &["api_key"],
        mentions: &[("model", "llama-3.3-70b-versatile")],
        comments: &["Groq"],
        py_import: &["from groq import Groq"],
        py: &["client = Groq(api_key=\"{K}\")"],
        js: &["const groq = new Groq({ apiKey: \"{K}\" });"],
        go: &["client := groq.NewClient(\"{K}\")"],
        rust: &["let groq_key = \"{K}\";"],
        java: &["String groqApiKey = \"{K}\";"],
        curl: &["curl https://api.groq.com/openai/v1/models -H \"Authorization: Bearer {K}\""],
    },
    Provider {
        id: "huggingface",
        kinds: &[
            Kind {
                template: "hf_{{alnum:34}}",
                envs: &[
                    "HF_TOKEN",
                    "HUGGING_FACE_HUB_TOKEN",
                    "HUGGINGFACEHUB_API_TOKEN",
                ],
            },
            Kind {
                template: "api_org_{{alnum:34}}",
                envs: &["HF_ORG_TOKEN"],
            },
        ],
        needs_context: false,
        block: "huggingface",
        block_keys: &["token"],
        mentions: &[("model", "meta-llama/Llama-3.1-8B-Instruct")],
        comments: &["Hugging Face"],
        py_import: &["from huggingface_hub import login"],
        py: &[
            "login(token=\"{K}\")",
            "client = InferenceClient(token=\"{K}\")",
        ],
        js: &["const hf = new HfInference(\"{K}\");"],
        go: &["req.Header.Set(\"Authorization\", \"Bearer {K}\")"],
        rust: &["let hf_token = \"{K}\";"],
        java: &["String hfToken = \"{K}\";"],
        curl: &["curl https://huggingface.co/api/whoami-v2 -H \"Authorization: Bearer {K}\""],
    },
    Provider {
        id: "anyscale",
        kinds: &[Kind {
            template: "esecret_{{lower:26}}",
            envs: &["ANYSCALE_API_KEY"],
        }],
        needs_context: false,
        block: "anyscale",
        block_keys: &["api_key"],
        mentions: &[("base_url", "https://api.endpoints.anyscale.com/v1")],
        comments: &["Anyscale Endpoints"],
        py_import: &["import openai"],
        py: &[
            "client = openai.OpenAI(base_url=\"https://api.endpoints.anyscale.com/v1\", api_key=\"{K}\")",
        ],
        js: &[
            "const anyscale = new OpenAI({ baseURL: 'https://api.endpoints.anyscale.com/v1', apiKey: '{K}' });",
        ],
        go: &["apiKey := \"{K}\""],
        rust: &["let anyscale_key = \"{K}\";"],
        java: &["String anyscaleKey = \"{K}\";"],
        curl: &[
            "curl https://api.endpoints.anyscale.com/v1/models -H \"Authorization: Bearer {K}\"",
        ],
    },
    Provider {
        id: "aws",
        kinds: &[
            Kind {
                template: "AKIA{{upper:16}}",
                envs: &["AWS_ACCESS_KEY_ID"],
            },
            Kind {
                template: "{{b64:40}}",
                envs: &["AWS_SECRET_ACCESS_KEY"],
            },
        ],
        needs_context: true,
        block: "aws",
        block_keys: &["aws_secret_access_key", "secret_access_key"],
        mentions: &[
            ("aws_region", "eu-west-1"),
            ("aws_default_region", "us-east-1"),
        ],
        comments: &["AWS credentials"],
        py_import: &["import boto3"],
        py: &[
            "s3 = boto3.client(\"s3\", aws_access_key_id=\"{ID}\", aws_secret_access_key=\"{K}\")",
        ],
        js: &[
            "const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: '{ID}', secretAccessKey: '{K}' } });",
        ],
        go: &["creds := credentials.NewStaticCredentialsProvider(\"{ID}\", \"{K}\", \"\") // aws"],
        rust: &["let aws_secret_access_key = \"{K}\";"],
        java: &["AwsBasicCredentials creds = AwsBasicCredentials.create(\"{ID}\", \"{K}\");"],
        curl: NONE,
    },
    Provider {
        id: "github",
        kinds: &[
            Kind {
                template: "ghp_{{alnum:36}}",
                envs: &["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT"],
            },
            Kind {
                template: "github_pat_{{alnum:22}}_{{alnum:59}}",
                envs: &["GITHUB_TOKEN", "GH_PAT"],
            },
            Kind {
                template: "gho_{{alnum:36}}",
                envs: &["GH_TOKEN"],
            },
        ],
        needs_context: false,
        block: "github",
        block_keys: &["token"],
        mentions: &[("owner", "acme")],
        comments: &["GitHub"],
        py_import: &["from github import Github"],
        py: &["g = Github(\"{K}\")"],
        js: &["const octokit = new Octokit({ auth: \"{K}\" });"],
        go: &["ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: \"{K}\"})"],
        rust: &["let octocrab = Octocrab::builder().personal_token(\"{K}\".to_string()).build()?;"],
        java: &["GitHub github = new GitHubBuilder().withOAuthToken(\"{K}\").build();"],
        curl: &["curl -H \"Authorization: token {K}\" https://api.github.com/user"],
    },
    Provider {
        id: "gitlab",
        kinds: &[Kind {
            template: "glpat-{{b64url:20}}",
            envs: &["GITLAB_TOKEN", "GL_TOKEN"],
        }],
        needs_context: false,
        block: "gitlab",
        block_keys: &["token"],
        mentions: &[("url", "https://gitlab.com")],
        comments: &["GitLab"],
        py_import: &["import gitlab"],
        py: &["gl = gitlab.Gitlab(\"https://gitlab.com\", private_token=\"{K}\")"],
        js: &["const api = new Gitlab({ token: '{K}' });"],
        go: &["git, err := gitlab.NewClient(\"{K}\")"],
        rust: &["let gitlab_token = \"{K}\";"],
        java: &["GitLabApi gitLabApi = new GitLabApi(\"https://gitlab.com\", \"{K}\");"],
        curl: &["curl --header \"PRIVATE-TOKEN: {K}\" \"https://gitlab.com/api/v4/projects\""],
    },
    Provider {
        id: "slack",
        kinds: &[
            Kind {
                template: "xoxb-{{digit:12}}-{{digit:13}}-{{alnum:24}}",
                envs: &["SLACK_BOT_TOKEN"],
            },
            Kind {
                template: "xoxp-{{digit:12}}-{{digit:13}}-{{digit:13}}-{{hex:32}}",
                envs: &["SLACK_USER_TOKEN"],
            },
            Kind {
                template: "https://hooks.slack.com/services/T{{upper:8}}/B{{upper:10}}/{{alnum:24}}",
                envs: &["SLACK_WEBHOOK_URL"],
            },
        ],
        needs_context: false,
        block: "slack",
        block_keys: &["token", "webhook"],
        mentions: &[("channel", "#deploys")],
        comments: &["Slack"],
        py_import: &["from slack_sdk import WebClient"],
        py: &["client = WebClient(token=\"{K}\")"],
        js: &["const web = new WebClient('{K}');"],
        go: &["api := slack.New(\"{K}\")"],
        rust: &["let slack_token = \"{K}\";"],
        java: &["String slackToken = \"{K}\";"],
        curl: &["curl -H \"Authorization: Bearer {K}\" https://slack.com/api/auth.test"],
    },
    Provider {
        id: "stripe",
        kinds: &[
            Kind {
                template: "sk_live_{{alnum:24}}",
                envs: &["STRIPE_SECRET_KEY"],
            },
            Kind {
                template: "sk_live_{{alnum:99}}",
                envs: &["STRIPE_SECRET_KEY", "STRIPE_API_KEY"],
            },
            Kind {
                template: "rk_live_{{alnum:24}}",
                envs: &["STRIPE_RESTRICTED_KEY"],
            },
        ],
        needs_context: false,
        block: "stripe",
        block_keys: &["secret_key"],
        mentions: &[("currency", "eur")],
        comments: &["Stripe"],
        py_import: &["import stripe"],
        py: &["stripe.api_key = \"{K}\""],
        js: &["const stripe = require('stripe')('{K}');"],
        go: &["stripe.Key = \"{K}\""],
        rust: &["let client = stripe::Client::new(\"{K}\");"],
        java: &["Stripe.apiKey = \"{K}\";"],
        curl: &["curl https://api.stripe.com/v1/charges -u {K}:"],
    },
    Provider {
        id: "npm",
        kinds: &[Kind {
            template: "npm_{{alnum:36}}",
            envs: &["NPM_TOKEN", "NODE_AUTH_TOKEN"],
        }],
        needs_context: false,
        block: "npm",
        block_keys: &["token"],
        mentions: &[("registry", "https://registry.npmjs.org/")],
        comments: &["npm publish token"],
        py_import: NONE,
        py: &["NPM_TOKEN = \"{K}\""],
        js: &["const npmToken = \"{K}\";"],
        go: &["token := \"{K}\""],
        rust: &["let npm_token = \"{K}\";"],
        java: &["String npmToken = \"{K}\";"],
        curl: &["curl -H \"Authorization: Bearer {K}\" https://registry.npmjs.org/-/whoami"],
    },
    Provider {
        id: "sendgrid",
        kinds: &[Kind {
            template: "SG.{{b64url:22}}.{{b64url:43}}",
            envs: &["SENDGRID_API_KEY"],
        }],
        needs_context: false,
        block: "sendgrid",
        block_keys: &["api_key"],
        mentions: &[("from", "noreply@acme.io")],
        comments: &["SendGrid"],
        py_import: &["from sendgrid import SendGridAPIClient"],
        py: &["sg = SendGridAPIClient(\"{K}\")"],
        js: &["sgMail.setApiKey('{K}');"],
        go: &["client := sendgrid.NewSendClient(\"{K}\")"],
        rust: &["let sendgrid_key = \"{K}\";"],
        java: &["SendGrid sg = new SendGrid(\"{K}\");"],
        curl: &["curl https://api.sendgrid.com/v3/scopes -H \"Authorization: Bearer {K}\""],
    },
    Provider {
        id: "twilio",
        kinds: &[
            Kind {
                template: "{{hex:32}}",
                envs: &["TWILIO_AUTH_TOKEN"],
            },
            Kind {
                template: "SK{{hex:32}}",
                envs: &["TWILIO_API_KEY", "TWILIO_API_KEY_SID"],
            },
        ],
        needs_context: true,
        block: "twilio",
        block_keys: &["auth_token", "authToken"],
        mentions: &[
            ("twilio_account_sid", "AC{{hex:32}}"),
            ("sms_provider", "twilio"),
        ],
        comments: &["Twilio"],
        py_import: &["from twilio.rest import Client"],
        py: &[
            "client = Client(\"AC{{hex:32}}\", \"{K}\")",
            "account_sid = \"AC{{hex:32}}\"\nauth_token = \"{K}\"\nclient = Client(account_sid, auth_token)",
        ],
        js: &["const client = twilio('AC{{hex:32}}', '{K}');"],
        go: &[
            "client := twilio.NewRestClientWithParams(twilio.ClientParams{Username: \"AC{{hex:32}}\", Password: \"{K}\"})",
        ],
        rust: &["let twilio_auth_token = \"{K}\";"],
        java: &["Twilio.init(\"AC{{hex:32}}\", \"{K}\");"],
        curl: &[
            "curl -X GET \"https://api.twilio.com/2010-04-01/Accounts.json\" -u \"AC{{hex:32}}:{K}\"",
        ],
    },
    Provider {
        id: "private-key",
        kinds: &[
            Kind {
                template: "RSA",
                envs: &["PRIVATE_KEY", "JWT_PRIVATE_KEY"],
            },
            Kind {
                template: "EC",
                envs: &["TLS_KEY", "PRIVATE_KEY"],
            },
            Kind {
                template: "OPENSSH",
                envs: &["SSH_PRIVATE_KEY", "DEPLOY_KEY"],
            },
            Kind {
                template: "",
                envs: &["PRIVATE_KEY", "SIGNING_KEY"],
            },
        ],
        needs_context: false,
        block: "tls",
        block_keys: &["private_key", "key"],
        mentions: &[],
        comments: &["deploy key"],
        py_import: NONE,
        py: &["PRIVATE_KEY = \"\"\"{K}\"\"\""],
        js: &["const privateKey = `{K}`;"],
        go: &["const privateKey = `{K}`"],
        rust: &["const PRIVATE_KEY: &str = \"{K}\";"],
        java: &["String privateKey = \"\"\"\n{K}\n\"\"\";"],
        curl: NONE,
    },
];

pub fn provider(id: &str) -> &'static Provider {
    PROVIDERS
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("unknown provider {id}"))
}
