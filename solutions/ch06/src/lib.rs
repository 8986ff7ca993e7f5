// 6장 · Chapter 6 solutions (being written).
