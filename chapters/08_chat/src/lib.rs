// 8장 · Chapter 8 (being written).
