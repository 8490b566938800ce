"""kehu: follow up with the customers you already have."""

__version__ = "0.3.0.dev0"
