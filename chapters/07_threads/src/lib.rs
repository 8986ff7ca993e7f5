// 7장 · Chapter 7 (being written).
