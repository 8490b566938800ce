"""The practice as pure functions: item kinds, the scheduler, the words kehu knows. No I/O."""
