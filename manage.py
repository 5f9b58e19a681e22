#!/usr/bin/env python
"""Kept for habit: ``uv run sciweek`` does the same."""

from sciweek.cli import main

if __name__ == "__main__":
    main()
