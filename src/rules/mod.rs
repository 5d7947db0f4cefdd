//! Detection rules: the data model, loading from TOML (built-in and user files), and the
//! example templates every rule carries so it can be tested against itself.

mod check;
mod load;
mod model;
mod template;

pub use check::{RuleCheckFailure, check_rules};
pub use load::{RuleError, RuleSet};
pub use model::{CharClasses, CompiledRegex, Context, Precision, Provider, Rule};
pub use template::expand_template;
