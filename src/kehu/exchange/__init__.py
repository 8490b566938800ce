"""File formats, one module each: what comes in and goes out of kehu as files."""
