//! 5장 연습 문제 검사 · Checks for chapter 5.

use crate::Exercise;

pub static EXERCISES: &[Exercise] = &[];
