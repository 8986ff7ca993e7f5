// 8장 · Chapter 8 exercises (being written).
