"""Compare: forecasters on the questions they share (leaderboard, head to head, crowds)."""
