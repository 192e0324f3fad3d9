"""Queries without pandas: listing questions, what is due, tamper evidence from git."""
