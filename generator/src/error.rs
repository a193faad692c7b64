//! The generator's one error type: every failure names the spec file and, where it is about the
//! spec's content, the JSON pointer (and the line, when the parser knows it).

use std::fmt;

use crate::source::Place;

/// A generator failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec could not be read, parsed or lowered: every error found, one per line.
    #[error("{0}")]
    Spec(SpecErrors),
    /// A template produced text that is not valid Rust (a generator bug, not a spec problem).
    #[error("template `{template}` rendered invalid Rust for {what}: {message}")]
    Render {
        /// Template file.
        template: String,
        /// What was being rendered.
        what: String,
        /// The syn error with its location.
        message: String,
    },
    /// Reading or writing files.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Anything else the caller asked that cannot be done.
    #[error("{0}")]
    Usage(String),
}

/// Where in which spec something is wrong, and what. A warning ([`crate::ir::Warning`]) has the same
/// [`Place`], shown the same way.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecError {
    /// The file, JSON pointer (`/paths/~1tokens/get`; empty for the whole document) and line.
    pub place: Place,
    /// What is wrong.
    pub message: String,
}

impl SpecError {
    /// An error at a place in the spec's files.
    pub fn at(place: Place, message: impl Into<String>) -> Self {
        SpecError { place, message: message.into() }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// Every error found in one run, in the order they were found (at least one).
#[derive(Debug, Clone, PartialEq)]
pub struct SpecErrors(pub Vec<SpecError>);

/// At most this many errors are reported from one run; the rest are counted.
pub const MAX_ERRORS: usize = 50;

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().take(MAX_ERRORS).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        if self.0.len() > MAX_ERRORS {
            write!(f, "\n... and {} more errors", self.0.len() - MAX_ERRORS)?;
        }
        Ok(())
    }
}

impl From<SpecError> for Error {
    fn from(e: SpecError) -> Self {
        Error::Spec(SpecErrors(vec![e]))
    }
}

impl From<SpecErrors> for Error {
    fn from(e: SpecErrors) -> Self {
        Error::Spec(e)
    }
}

/// Escapes one JSON pointer segment (`/` -> `~1`, `~` -> `~0`).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
