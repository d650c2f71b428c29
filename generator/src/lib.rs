//! graph-docgen: Microsoft Graph reference pages (markdown) to a typed Rust crate.
//!
//! The pipeline is `parse` (pages to page models with lines) → `resolve` (one IR across all
//! pages) → `emit` (token trees, formatted) → `output` (files written only when changed).

pub mod codegen;
pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod naming;
pub mod output;
pub mod parse;
pub mod resolve;

pub use codegen::{generate, load_pages, Generated};
pub use diagnostics::{Diagnostic, Diagnostics, Kind, Span};
