//! Somu's measurement core (placeholder doc, replaced below).
#![forbid(unsafe_code)]

pub mod adoption;
pub mod effect;
pub mod influence;
pub mod kirkpatrick;
pub mod metric;
pub mod money;
pub mod panel;
pub mod period;
pub mod post;
pub mod roi;
pub mod rollup;
pub mod synthetic;
