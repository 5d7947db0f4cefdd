//! The process exit codes, in one place so docs, tests and code agree.

/// keysift's exit statuses. Scripts and CI rely on these numbers; never renumber them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitStatus {
    /// The scan completed and found nothing.
    Clean = 0,
    /// At least one secret was found.
    Findings = 1,
    /// Bad arguments, an unreadable root or file, a bad rule or config file: the scan did not
    /// cover everything it was asked to. Findings take precedence (exit 1) when there are any.
    Error = 2,
    /// With `--verify`: at least one found key is live. Takes precedence over 1 and 2, so a
    /// pipeline can tell an incident (rotate now) from a clean-up task.
    LiveFindings = 3,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(s: ExitStatus) -> Self {
        std::process::ExitCode::from(s.code())
    }
}
