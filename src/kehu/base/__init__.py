"""Plumbing every layer may use: the clock, paths, errors, settings, typed values, files."""
