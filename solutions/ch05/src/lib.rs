// 5장 · Chapter 5 solutions (being written).
