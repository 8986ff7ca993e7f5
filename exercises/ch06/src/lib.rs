// 6장 · Chapter 6 exercises (being written).
