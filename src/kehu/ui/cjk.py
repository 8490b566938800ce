"""Chinese typography for the screen: a product, a model or a name in Latin letters set apart
from the Chinese around it by a space (kehu.base.cjk, where typed input's errors use it too)."""

from kehu.base.cjk import NAMED, between, han, joined, latin, spaced

__all__ = ["NAMED", "between", "han", "joined", "latin", "spaced"]
