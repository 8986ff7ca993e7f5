// 7장 · Chapter 7 solutions (being written).
