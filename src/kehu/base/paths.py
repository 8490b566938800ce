"""Where kehu keeps its files. KEHU_DB and KEHU_CONFIG win over the platform's folders."""

import os
from pathlib import Path

APP = "kehu"


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def default_book() -> str:
    return os.environ.get("KEHU_DB") or str(data_dir() / "kehu.db")


def config_file() -> Path:
    override = os.environ.get("KEHU_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False) / "config.toml"


def templates_dir() -> Path:
    """The user's own copies of the draft templates: beside the config file."""
    return config_file().parent / "templates"
