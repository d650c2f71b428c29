//! Integration tests of graph-docgen live in `tests/tests/`.
