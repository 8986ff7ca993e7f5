//! 6장 연습 문제 검사 · Checks for chapter 6.

use crate::Exercise;

pub static EXERCISES: &[Exercise] = &[];
