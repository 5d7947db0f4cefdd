//! Detection rules: the data model, loading from TOML (built-in and user files), the example
//! templates every rule carries so it can be tested against itself, and each provider's
//! `[verify]` block checked against the built-in table of hosts keys may be sent to; the word
//! lists that decide what labels and values mean; the checksum algorithms keys may carry.

mod checksum;
pub mod hosts;
mod load;
mod model;
mod template;
pub mod verify_spec;
mod word_lists;

pub use checksum::Checksum;
pub use load::{RuleError, RuleSet};
pub use model::{Category, CharClasses, CompiledRegex, Context, Precision, Provider, Rule};
pub use template::expand_template;
pub use word_lists::{List, MAX_WORD_LEN, WordSet, Words};
