//! Pure normalization of Japanese text, era periods and numbers with units. No I/O.
pub mod era;
pub mod number;
pub mod text;
