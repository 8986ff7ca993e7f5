// 6장 · Chapter 6 (being written).
