// 01장 연습 문제 · Chapter 01 exercises (being written).
