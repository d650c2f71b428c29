//! graph-docgen: Microsoft Graph reference pages (markdown) to a typed Rust crate.
//!
//! The pipeline is `parse` (pages to page models with lines) → `resolve` (one IR across all
//! pages, with `areas` deciding what each cargo feature compiles) → `emit` (formatted
//! source text) → `output` (files written only when changed).

pub mod api;
pub mod areas;
pub mod codegen;
pub mod diagnostics;
pub mod emit;
pub mod examples;
pub mod ir;
pub mod naming;
pub mod output;
pub mod parallel;
pub mod parse;
pub mod resolve;
/// The runtime every generated crate depends on, used here too so that example values are
/// validated by exactly the code that will read them.
pub use graph_runtime as runtime;

pub use codegen::{generate, load_pages, Generated};
pub use diagnostics::{Diagnostic, Diagnostics, Kind, Span};
