//! Context for keys without a prefix (32 or 40 random characters, 32 hex digits...): is a
//! word that names the provider close enough to the candidate to explain it?
//!
//! Closeness is counted in lines, `lines_before` above and `lines_after` below the candidate
//! (a Kubernetes `- name: MISTRAL_API_KEY` sits one line above its `value:`). Refinements keep
//! a provider's name from vouching for values that are not its keys:
//!
//! - A word that labels another value of the rule's shape is spent on it: in `.env` files
//!   `AZURE_OPENAI_API_KEY=<k1>` says nothing about `SECRET_KEY=<k2>` on the next line, while
//!   `- name: AZURE_OPENAI_API_KEY` (the word in a value) or `# Azure` still vouch for
//!   their neighbours.
//! - Words elsewhere vouch only for a value whose own name is generic (`api_key`, `token`,
//!   `LLM_API_KEY`, `value`) or absent: `OPENWEATHER_API_KEY=<k>` is OpenWeather's key whatever
//!   sits next to it.
//! - On the candidate's own line, only words within
//!   [`SAME_LINE_REACH`](rank::SAME_LINE_REACH) bytes count, so one mention in a minified
//!   bundle does not vouch for every hash on its single line.
//! - A candidate whose own label says what it is (`request_id`, `checksum`, `session_secret`,
//!   `DATADOG_API_KEY`) is not a provider key whatever surrounds it
//!   ([`label_names_something_else`](words::label_names_something_else)).
//! - A rule's `exclude` words name other services with keys of the same shape (another
//!   provider's `sk-` + 32 hex): in the candidate's label or on its line, nearer than the
//!   rule's own context, they reject it.
//!
//! [`rank`] ranks the words around a candidate, [`labels`] parses the name a value is assigned
//! to, and [`words`] holds the word lists that tell what a name means.

pub mod labels;
pub mod rank;
pub mod words;
