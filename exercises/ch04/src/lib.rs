// 04장 연습 문제 · Chapter 04 exercises (being written).
