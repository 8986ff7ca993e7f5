// 5장 · Chapter 5 exercises (being written).
