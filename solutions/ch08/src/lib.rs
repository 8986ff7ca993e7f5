// 8장 · Chapter 8 solutions (being written).
