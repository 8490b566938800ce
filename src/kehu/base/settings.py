"""The user's settings: a TOML file in the config folder. Every rule has a default."""

import os
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

from kehu.base import paths
from kehu.base.errors import BadInput
from kehu.rules.records import Rules

RULE_DEFAULTS: dict[str, Any] = Rules._field_defaults  # every rule, in order, with its default


@dataclass(frozen=True)
class Settings:
    rules: Rules = field(default_factory=Rules)
    timezone: str = ""  # empty: the system's

    def tz(self) -> tzinfo:
        return zone(self.timezone)


def zone(name: str) -> tzinfo:
    """A named zone, or the system's. zoneinfo converts several times faster than dateutil's
    pure-Python zones, which matters when a daily list converts 100,000 instants."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name) if name else _system_zone()
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise BadInput(
            f"unknown time zone {name!r}; accepted: names like Asia/Shanghai or UTC"
        ) from None


def _system_zone() -> tzinfo:
    from zoneinfo import ZoneInfo

    if os.environ.get("TZ"):
        return ZoneInfo(os.environ["TZ"].lstrip(":"))
    localtime = Path("/etc/localtime")
    try:
        with localtime.open("rb") as f:
            return ZoneInfo.from_file(f, key=str(localtime.resolve()).partition("zoneinfo/")[2])
    except OSError:
        from dateutil import tz

        return tz.tzlocal()  # no tz database file (Windows): the OS's own rules


def load(path: Path | None = None) -> Settings:
    path = path or paths.config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(timezone=os.environ.get("KEHU_TZ", ""))
    except UnicodeDecodeError as e:
        raise BadInput(f"config file {path} is not valid TOML ({e}); fix or delete it") from None
    except OSError as e:
        raise BadInput(f"cannot read the config file {path} ({e.strerror}); check it") from None
    import tomllib  # only when there is a file: it costs start-up time

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise BadInput(f"config file {path} is not valid TOML ({e}); fix or delete it") from None
    changed: dict[str, Any] = {k: _coerce(k, v) for k, v in data.get("rules", {}).items()}
    rules = Rules(**changed)
    timezone = os.environ.get("KEHU_TZ") or data.get("timezone", "")
    return Settings(rules=rules, timezone=timezone)


def _coerce(name: str, value: object) -> object:
    if name not in RULE_DEFAULTS:
        raise BadInput(f"unknown setting rules.{name}; accepted: {', '.join(RULE_DEFAULTS)}")
    default = RULE_DEFAULTS[name]
    if isinstance(default, tuple):
        items: Any = value.split(",") if isinstance(value, str) else value
        try:
            numbers = tuple(int(str(x).strip()) for x in items)
        except (TypeError, ValueError):
            numbers = ()
        if not numbers or min(numbers) < 1:
            raise BadInput(f"rules.{name} takes whole numbers above 0, like 1,3,6")
        return numbers
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise BadInput(f"rules.{name} takes a whole number, like {default}") from None
    if number < 0:
        raise BadInput(f"rules.{name} takes a whole number of 0 or more, like {default}")
    return number


def listing(settings: Settings) -> list[tuple[str, str, bool]]:
    """(key, value, is_default) for every setting, as `kehu config` shows them."""
    rows = [("timezone", settings.timezone or "(system)", not settings.timezone)]
    defaults = Rules()
    for name in RULE_DEFAULTS:
        value = getattr(settings.rules, name)
        shown = ",".join(map(str, value)) if isinstance(value, tuple) else str(value)
        rows.append((f"rules.{name}", shown, value == getattr(defaults, name)))
    return rows


def update(key: str, value: str | None, path: Path | None = None) -> None:
    """Set (or, with value None, reset) one setting in the config file."""
    import tomllib

    import tomli_w

    path = path or paths.config_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
    if key == "timezone":
        if value is None:
            data.pop("timezone", None)
        else:
            zone(value)
            data["timezone"] = value
    elif key.startswith("rules.") and key[6:] in RULE_DEFAULTS:
        name = key[6:]
        section = data.setdefault("rules", {})
        if value is None:
            section.pop(name, None)
        else:
            section[name] = _coerce(name, value)
    else:
        accepted = ", ".join(["timezone", *(f"rules.{n}" for n in RULE_DEFAULTS)])
        raise BadInput(f"unknown setting {key!r}; accepted: {accepted}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    tmp.replace(path)
