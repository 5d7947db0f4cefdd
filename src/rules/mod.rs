//! Detection rules: the data model, loading from TOML (built-in and user files), the example
//! templates every rule carries so it can be tested against itself, and each provider's
//! `[verify]` block checked against the built-in table of hosts keys may be sent to.

pub mod hosts;
mod load;
mod model;
mod template;
pub mod verify_spec;

pub use load::{RuleError, RuleSet};
pub use model::{CharClasses, CompiledRegex, Context, Precision, Provider, Rule};
pub use template::expand_template;
