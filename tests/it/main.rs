//! Somu's integration tests: the real application on 127.0.0.1:0 against a fresh database
//! (SQLite in a temp dir, or PostgreSQL when SOMU_TEST_DATABASE_URL is set), spoken to over HTTP.
//! One binary, so it links once.

mod helpers;

mod analytics;
mod api;
mod auth;
mod classes;
mod cli;
mod credentials;
mod import;
mod isolation;
mod learning;
mod mail;
mod ops;
mod people;
mod progress;
mod records;
mod social;
mod social_pull;
mod social_upload;
mod surveys;
