//! 7장 연습 문제 검사 · Checks for chapter 7.

use crate::Exercise;

pub static EXERCISES: &[Exercise] = &[];
