//! Somu's types and rules: pure and synchronous. No I/O, no async, no SQL.
//!
//! Modules are the product's areas; the same names appear in `somu-store` and `somu-web`.
#![forbid(unsafe_code)]

pub mod access;
pub mod certification;
pub mod classes;
pub mod error;
pub mod ids;
pub mod org;
pub mod progress;
pub mod surveys;
pub mod time_util;
pub mod xapi;

pub use error::{FieldError, FieldErrors};
