// 01장 해답 · Chapter 01 solutions (being written).
