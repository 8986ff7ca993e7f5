//! 02장 연습 문제 검사 · Checks for chapter 02.

use crate::Exercise;

pub static EXERCISES: &[Exercise] = &[];
