// 7장 · Chapter 7 exercises (being written).
