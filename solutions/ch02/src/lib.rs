// 02장 해답 · Chapter 02 solutions (being written).
