// 02장 연습 문제 · Chapter 02 exercises (being written).
