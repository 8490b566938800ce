"""Where kehu keeps its files. KEHU_DB and KEHU_CONFIG win over the platform's folders."""

import os
from pathlib import Path

from kehu.base.errors import BookUnusable
from kehu.base.i18n import _

APP = "kehu"


class NoHome(BookUnusable):
    """Neither HOME nor the system's user database gives a home folder (a user the system has
    no entry for, under `env -i`): the default places of the book and settings are unknown."""


def data_dir() -> Path:
    from platformdirs import user_data_path

    try:
        return user_data_path(APP, appauthor=False)
    except RuntimeError:  # platformdirs: "could not determine the home directory"
        raise NoHome(
            _("cannot tell where your book is: HOME is not set and the system knows no "
              "home folder for this user; set HOME, or point kehu at the book with --db PATH "
              "or KEHU_DB=PATH")
        ) from None  # fmt: skip


def default_book() -> str:
    return os.environ.get("KEHU_DB") or str(data_dir() / "kehu.db")


def config_file() -> Path:
    override = os.environ.get("KEHU_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    try:
        return user_config_path(APP, appauthor=False) / "config.toml"
    except RuntimeError:
        raise NoHome(
            _("cannot tell where your settings file is: HOME is not set and the system "
              "knows no home folder for this user; set HOME, or KEHU_CONFIG=PATH")
        ) from None  # fmt: skip


def templates_dir() -> Path:
    """The user's own copies of the draft templates: beside the config file."""
    return config_file().parent / "templates"


def own_templates_dir() -> Path | None:
    """Where the drafts look for the user's own templates; None without a home folder (and no
    KEHU_CONFIG), where there is no settings file and so no copies: the defaults are used, as
    every setting's default is."""
    try:
        return templates_dir()
    except NoHome:
        return None
