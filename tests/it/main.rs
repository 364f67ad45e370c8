//! Somu's integration tests: the real application on 127.0.0.1:0 against a fresh database
//! (SQLite in a temp dir, or PostgreSQL when SOMU_TEST_DATABASE_URL is set), spoken to over HTTP.
//! One binary, so it links once.

mod helpers;

mod api;
mod auth;
mod cli;
mod import;
mod isolation;
mod mail;
mod ops;
mod people;
